CREATE TABLE IF NOT EXISTS file_supersede (
    source                VARCHAR NOT NULL,
    source_file           VARCHAR NOT NULL,
    sha256                VARCHAR NOT NULL,
    superseded_by         VARCHAR NOT NULL,
    superseded_by_sha256  VARCHAR NOT NULL,
    replace_key           VARCHAR NOT NULL,
    rows_moved            BIGINT NOT NULL,
    rejected_rows_moved   BIGINT NOT NULL,
    run_id                VARCHAR NOT NULL,
    superseded_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (source_file, sha256)
);
COMMENT ON TABLE file_supersede IS 'One row per file replaced by a corrected file: a TKSK report for the same kecamatan and month, or a PSM list for the same desa. The file''s rows moved to source_record_history and rejected_row_history.';
COMMENT ON COLUMN file_supersede.source IS 'tksk or psm: the inbox subfolder of both files.';
COMMENT ON COLUMN file_supersede.source_file IS 'Name of the replaced file (ingest_file.status = superseded).';
COMMENT ON COLUMN file_supersede.sha256 IS 'SHA-256 of the replaced file.';
COMMENT ON COLUMN file_supersede.superseded_by IS 'Name of the corrected file that replaced it.';
COMMENT ON COLUMN file_supersede.superseded_by_sha256 IS 'SHA-256 of the corrected file.';
COMMENT ON COLUMN file_supersede.replace_key IS 'What the two files share: tksk:<kode kecamatan>:<YYYY-MM> or psm:<kode desa>.';
COMMENT ON COLUMN file_supersede.rows_moved IS 'Loaded rows moved from source_record to source_record_history.';
COMMENT ON COLUMN file_supersede.rejected_rows_moved IS 'Rejected rows moved from rejected_row to rejected_row_history.';
COMMENT ON COLUMN file_supersede.run_id IS 'The run that loaded the correction and replaced the file.';
COMMENT ON COLUMN file_supersede.superseded_at IS 'When the file was replaced.';
