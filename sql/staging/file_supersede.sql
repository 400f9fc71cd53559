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
COMMENT ON COLUMN file_supersede.replace_key IS 'What the two files share: tksk:<kode kecamatan>:<YYYY-MM> or psm:<kode desa>.';
COMMENT ON COLUMN file_supersede.run_id IS 'The run that loaded the correction and replaced the file.';
