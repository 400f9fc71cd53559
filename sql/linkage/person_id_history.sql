CREATE TABLE IF NOT EXISTS person_id_history (
    old_person_id  VARCHAR NOT NULL,
    new_person_id  VARCHAR,
    run_id         VARCHAR NOT NULL,
    reason         VARCHAR NOT NULL,
    records        INTEGER NOT NULL,
    detail         VARCHAR,
    recorded_at    TIMESTAMP NOT NULL
);
COMMENT ON TABLE person_id_history IS 'Every change of identity: a merge retires old_person_id in favour of new_person_id (the older id survives); a split moves some rows of old_person_id (which lives on) to new_person_id; a retirement ends an id whose rows all left the warehouse (their file was replaced by a corrected one that no longer names the person). Saved ids resolve through the view person_id_current.';
COMMENT ON COLUMN person_id_history.old_person_id IS 'merge: the retired id; split: the id that lost rows (it stays in use).';
COMMENT ON COLUMN person_id_history.new_person_id IS 'merge: the surviving id; split: the id the moved rows belong to now; retired: null.';
COMMENT ON COLUMN person_id_history.run_id IS 'The run that made the change.';
COMMENT ON COLUMN person_id_history.reason IS 'merge, split or retired.';
COMMENT ON COLUMN person_id_history.records IS 'How many rows of old_person_id moved.';
COMMENT ON COLUMN person_id_history.detail IS 'What made it happen, in words (new rows, a reviewer decision, the model).';
COMMENT ON COLUMN person_id_history.recorded_at IS 'When the change was recorded (local time of the run).';
