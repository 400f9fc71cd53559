CREATE TABLE IF NOT EXISTS person_identity (
    person_id       VARCHAR PRIMARY KEY,
    created_run_id  VARCHAR NOT NULL,
    created_seq     BIGINT NOT NULL,
    status          VARCHAR NOT NULL,
    successor_id    VARCHAR,
    retired_run_id  VARCHAR
);
COMMENT ON TABLE person_identity IS 'Every person_id ever handed out, active or retired; an id is never reused.';
COMMENT ON COLUMN person_identity.person_id IS 'The id, as found in person.person_id and source_record.person_id while active.';
COMMENT ON COLUMN person_identity.created_run_id IS 'The run that created the id.';
COMMENT ON COLUMN person_identity.created_seq IS 'Order of creation: the smaller is the older id, which survives a merge.';
COMMENT ON COLUMN person_identity.status IS 'active, or retired (merged into successor_id; or without rows any more, successor_id null).';
COMMENT ON COLUMN person_identity.successor_id IS 'For a merged id: the id it was merged into (follow it to the current id).';
COMMENT ON COLUMN person_identity.retired_run_id IS 'The run that retired the id.';
