CREATE TABLE IF NOT EXISTS person_rows (
    person_id    VARCHAR PRIMARY KEY,
    rows         INTEGER NOT NULL,
    fingerprint  UBIGINT NOT NULL,
    rules        VARCHAR NOT NULL
);
COMMENT ON TABLE person_rows IS 'Which loaded rows each person''s golden record (person) was built from, as a fingerprint: a night rebuilds the golden record, the cases (ppks_case), the household rows (household_member) and the service events (service_event) only of the persons whose rows changed (new rows, rows moved by linkage or a reviewer, rows of a replaced file gone). Bookkeeping of the load step.';
COMMENT ON COLUMN person_rows.person_id IS 'The person (person.person_id).';
COMMENT ON COLUMN person_rows.rows IS 'Number of loaded rows of the person when the golden record was built.';
COMMENT ON COLUMN person_rows.fingerprint IS 'bit_xor of hash(record_id) over the person''s rows: the same set of rows gives the same value (rows are never edited once loaded, only moved between persons).';
COMMENT ON COLUMN person_rows.rules IS 'Fingerprint of the rules the person''s rows were built with (the SQL of sql/transforms, sql/macros and the core tables, and the category names): new rules rebuild every person.';
