CREATE TABLE IF NOT EXISTS review_decision (
    file_a       VARCHAR NOT NULL,
    sheet_a      VARCHAR NOT NULL,
    row_a        INTEGER NOT NULL,
    file_b       VARCHAR NOT NULL,
    sheet_b      VARCHAR NOT NULL,
    row_b        INTEGER NOT NULL,
    decision     VARCHAR NOT NULL,
    reviewer     VARCHAR,
    decided_at   VARCHAR,
    note         VARCHAR,
    record_id_a  BIGINT,
    record_id_b  BIGINT,
    applied      VARCHAR NOT NULL,
    run_id       VARCHAR NOT NULL
);
COMMENT ON TABLE review_decision IS 'Reviewer decisions read from the decisions file by the last run and applied over the model (the file is the lasting record; this table shows what the run did with it).';
COMMENT ON COLUMN review_decision.file_a IS 'First row: file name (rows are identified by file, sheet and row number).';
COMMENT ON COLUMN review_decision.sheet_a IS 'First row: sheet name, empty for CSV.';
COMMENT ON COLUMN review_decision.row_a IS 'First row: row number as Excel shows it.';
COMMENT ON COLUMN review_decision.file_b IS 'Second row: file name.';
COMMENT ON COLUMN review_decision.sheet_b IS 'Second row: sheet name, empty for CSV.';
COMMENT ON COLUMN review_decision.row_b IS 'Second row: row number as Excel shows it.';
COMMENT ON COLUMN review_decision.decision IS 'same (one person) or different (two persons).';
COMMENT ON COLUMN review_decision.reviewer IS 'Name of the reviewer, as given to ppks review import --reviewer.';
COMMENT ON COLUMN review_decision.decided_at IS 'When the decision was imported (ISO 8601 local time, text as in the decisions file).';
COMMENT ON COLUMN review_decision.note IS 'The reviewer''s note (column catatan of the review workbook).';
COMMENT ON COLUMN review_decision.record_id_a IS 'The first row in source_record, when present.';
COMMENT ON COLUMN review_decision.record_id_b IS 'The second row in source_record, when present.';
COMMENT ON COLUMN review_decision.applied IS 'applied; overridden (a later decision on the same pair); rows_not_found (a row is not in the warehouse); conflict (same, refused because of a different decision).';
COMMENT ON COLUMN review_decision.run_id IS 'The run that read and applied the decision.';
