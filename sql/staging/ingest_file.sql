CREATE TABLE IF NOT EXISTS ingest_file (
    source_file     VARCHAR NOT NULL,
    source_path     VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    status          VARCHAR NOT NULL,
    reason          VARCHAR,
    reason_code     VARCHAR,
    duplicate_of    VARCHAR,
    size_bytes      BIGINT,
    sheets          INTEGER,
    rows_loaded     INTEGER,
    rows_rejected   INTEGER,
    bulan_laporan   DATE,
    kode_kecamatan  VARCHAR,
    kode_desa       VARCHAR,
    run_id          VARCHAR NOT NULL,
    ingested_at     TIMESTAMP NOT NULL,
    rows_below_blank INTEGER,
    PRIMARY KEY (source_path, sha256)
);
-- A warehouse made before these columns: add them; its rows came from files at
-- the top of their source folder. (Its key was (source_file, sha256): DuckDB
-- cannot change a primary key in place, ppks.warehouse.upgrade rebuilds it.)
ALTER TABLE ingest_file ADD COLUMN IF NOT EXISTS source_path VARCHAR;
ALTER TABLE ingest_file ADD COLUMN IF NOT EXISTS rows_below_blank INTEGER;
UPDATE ingest_file SET source_path = source || '/' || source_file WHERE source_path IS NULL;
COMMENT ON TABLE ingest_file IS 'One row per file seen in the inbox (a file is its path in the inbox and its content hash): loaded, rejected with a reason, or a duplicate of a file already loaded.';
COMMENT ON COLUMN ingest_file.source_file IS 'File name without folders (two subfolders may hold files of one name: source_path tells them apart).';
COMMENT ON COLUMN ingest_file.source_path IS 'Path of the file inside the inbox, with its source folder (tksk/arsip/x.xlsx).';
COMMENT ON COLUMN ingest_file.source IS 'tksk, psm or slrt: the inbox subfolder the file came from.';
COMMENT ON COLUMN ingest_file.sha256 IS 'SHA-256 of the file bytes; the same content under another name is a duplicate.';
COMMENT ON COLUMN ingest_file.status IS 'loaded, rejected (see reason), duplicate (see duplicate_of), or superseded (replaced by a corrected file: see file_supersede).';
COMMENT ON COLUMN ingest_file.reason IS 'Why a file was rejected, in plain words; for a loaded file, a remark on how it was read (a CSV read as Windows-1252) or a warning the reporter should act on (rows below an empty row), else empty.';
COMMENT ON COLUMN ingest_file.reason_code IS 'Short code of the rejection: empty_workbook, wrong_template, corrupt, password_protected, xls, csv_encoding_unknown, too_large, reader_crashed, reader_timeout, ...; for a loaded file: csv_encoding_cp1252, csv_encoding_utf16 (a CSV not in UTF-8, read in the encoding named).';
COMMENT ON COLUMN ingest_file.duplicate_of IS 'For a duplicate: the name of the loaded file with the same content.';
COMMENT ON COLUMN ingest_file.size_bytes IS 'File size in bytes.';
COMMENT ON COLUMN ingest_file.sheets IS 'Sheets with data rows.';
COMMENT ON COLUMN ingest_file.rows_loaded IS 'Data rows of the file loaded into source_record.';
COMMENT ON COLUMN ingest_file.rows_rejected IS 'Data rows of the file rejected into rejected_row.';
COMMENT ON COLUMN ingest_file.bulan_laporan IS 'TKSK: the report month from the title block (first day of the month).';
COMMENT ON COLUMN ingest_file.kode_kecamatan IS 'The kecamatan of the file, the one every report and mart uses: for a PSM list the kecamatan of its desa (kode_desa), else the most common kecamatan of its loaded rows (for TKSK, the title block''s); null for a file rejected whole.';
COMMENT ON COLUMN ingest_file.kode_desa IS 'PSM: the desa most rows of the file belong to.';
COMMENT ON COLUMN ingest_file.run_id IS 'The run that saw the file (see run_log).';
COMMENT ON COLUMN ingest_file.ingested_at IS 'When that run started.';
COMMENT ON COLUMN ingest_file.rows_below_blank IS 'Rows below the first empty row of a sheet that look like data (a name with a NIK, a date or a category): not loaded, by the source contract; the reporter is told how many so they can resend.';
