CREATE TABLE IF NOT EXISTS source_sheet (
    source_file  VARCHAR NOT NULL,
    file_sha256  VARCHAR NOT NULL,
    sheet        VARCHAR NOT NULL,
    header_row   INTEGER NOT NULL,
    headers      VARCHAR[] NOT NULL,
    run_id       VARCHAR NOT NULL,
    PRIMARY KEY (source_file, file_sha256, sheet)
);
COMMENT ON TABLE source_sheet IS 'One row per sheet that held data rows: where its header was and what it said.';
COMMENT ON COLUMN source_sheet.source_file IS 'File name without folders.';
COMMENT ON COLUMN source_sheet.file_sha256 IS 'SHA-256 of the file (see ingest_file.sha256).';
COMMENT ON COLUMN source_sheet.sheet IS 'Sheet name; empty for CSV files.';
COMMENT ON COLUMN source_sheet.header_row IS 'Excel row number of the header.';
COMMENT ON COLUMN source_sheet.headers IS 'The header texts as written, in column order; raw_values of the rows follow this order.';
COMMENT ON COLUMN source_sheet.run_id IS 'The run that read the sheet.';
