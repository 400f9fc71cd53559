-- Column comments of source_sheet not given in sql/01_tables/source_sheet.sql.
COMMENT ON COLUMN source_sheet.source_file IS 'File name without folders.';
COMMENT ON COLUMN source_sheet.file_sha256 IS 'SHA-256 of the file (see ingest_file.sha256).';
COMMENT ON COLUMN source_sheet.sheet IS 'Sheet name; empty for CSV files.';
COMMENT ON COLUMN source_sheet.run_id IS 'The run that read the sheet.';
