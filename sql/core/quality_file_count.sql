-- Core: the rows of each file as the quality marts count them (mart_quality_kecamatan,
-- mart_quality_reporter), kept by transforms/quality_file_rows.sql for the files whose
-- rows came or left tonight. A file's rows are added when it is loaded and leave when
-- it is replaced, and are never edited (linkage moves them between persons, which
-- these counts do not read), so the marts add up these few thousand counts instead of
-- reading every row ever loaded, every night. Rows and problem groups:
-- intermediate/int_data_row.sql.
CREATE TABLE IF NOT EXISTS quality_file_count (
    source_file       VARCHAR,
    file_sha256       VARCHAR,
    outcome           VARCHAR NOT NULL,
    kode_kecamatan    VARCHAR,
    rows              BIGINT NOT NULL,
    rows_flagged      BIGINT NOT NULL,
    rows_nik_problem  BIGINT NOT NULL,
    rows_dob_problem  BIGINT NOT NULL,
    flags             MAP(VARCHAR, BIGINT),
    reject_reasons    MAP(VARCHAR, BIGINT),
    fingerprint       UBIGINT NOT NULL
);
COMMENT ON TABLE quality_file_count IS 'Core. The data rows of each file (loaded or rejected) counted as the quality marts count them, one row per file, outcome and kecamatan of the loaded rows. Kept up to date night by night for the files whose rows came or left; mart_quality_kecamatan and mart_quality_reporter are built from it.';
COMMENT ON COLUMN quality_file_count.source_file IS 'File name (ingest_file.source_file).';
COMMENT ON COLUMN quality_file_count.file_sha256 IS 'SHA-256 of the file (ingest_file.sha256).';
COMMENT ON COLUMN quality_file_count.outcome IS 'loaded (source_record) or rejected (rejected_row).';
COMMENT ON COLUMN quality_file_count.kode_kecamatan IS 'Kecamatan of the loaded rows counted here (a row''s own); null for rejected rows, which count in their file''s kecamatan.';
COMMENT ON COLUMN quality_file_count.rows IS 'Rows of the file with this outcome (and kecamatan).';
COMMENT ON COLUMN quality_file_count.rows_flagged IS 'Of these, loaded rows with at least one flag.';
COMMENT ON COLUMN quality_file_count.rows_nik_problem IS 'Of these, loaded rows whose NIK is missing, malformed, damaged by Excel or has an impossible date.';
COMMENT ON COLUMN quality_file_count.rows_dob_problem IS 'Of these, loaded rows whose birth date is missing, unreadable, a placeholder or implausible.';
COMMENT ON COLUMN quality_file_count.flags IS 'Flag -> number of these loaded rows carrying it; null when none.';
COMMENT ON COLUMN quality_file_count.reject_reasons IS 'Reason -> number of these rejected rows with it; null when none.';
COMMENT ON COLUMN quality_file_count.fingerprint IS 'bit_xor of the hashes of the rows counted (record_id, or the run, sheet and row of a rejected row: a row rejected again by a later run counts as changed): the same rows give the same value, so a night finds the files whose rows came or left.';
