-- Column comments of review_decision (sql/01_tables/review_decision.sql, created by the linkage stage).
COMMENT ON COLUMN review_decision.file_b IS 'Second row: file name.';
COMMENT ON COLUMN review_decision.sheet_b IS 'Second row: sheet name, empty for CSV.';
COMMENT ON COLUMN review_decision.row_b IS 'Second row: row number as Excel shows it.';
COMMENT ON COLUMN review_decision.reviewer IS 'Name of the reviewer, as given to ppks review import --reviewer.';
COMMENT ON COLUMN review_decision.decided_at IS 'When the decision was imported (ISO 8601 local time, text as in the decisions file).';
COMMENT ON COLUMN review_decision.note IS 'The reviewer''s note (column catatan of the review workbook).';
COMMENT ON COLUMN review_decision.record_id_b IS 'The second row in source_record, when present.';
COMMENT ON COLUMN review_decision.run_id IS 'The run that read and applied the decision.';
