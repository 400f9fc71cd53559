-- Column comments of ingest_file not given in sql/01_tables/ingest_file.sql.
COMMENT ON COLUMN ingest_file.size_bytes IS 'File size in bytes.';
COMMENT ON COLUMN ingest_file.sheets IS 'Sheets with data rows.';
COMMENT ON COLUMN ingest_file.rows_loaded IS 'Data rows of the file loaded into source_record.';
COMMENT ON COLUMN ingest_file.rows_rejected IS 'Data rows of the file rejected into rejected_row.';
COMMENT ON COLUMN ingest_file.run_id IS 'The run that saw the file (see run_log).';
COMMENT ON COLUMN ingest_file.ingested_at IS 'When that run started.';
