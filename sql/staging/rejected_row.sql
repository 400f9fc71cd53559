CREATE TABLE IF NOT EXISTS rejected_row (
    run_id             VARCHAR NOT NULL,
    source             VARCHAR NOT NULL,
    source_file        VARCHAR NOT NULL,
    file_sha256        VARCHAR NOT NULL,
    sheet              VARCHAR NOT NULL,
    row_number         INTEGER NOT NULL,
    reasons            VARCHAR[] NOT NULL,
    reason_text        VARCHAR NOT NULL,
    flags              VARCHAR[],
    nama_raw           VARCHAR,
    nik_raw            VARCHAR,
    kk_raw             VARCHAR,
    tanggal_lahir_raw  VARCHAR,
    jenis_kelamin_raw  VARCHAR,
    desa_raw           VARCHAR,
    kecamatan_raw      VARCHAR,
    kabupaten_raw      VARCHAR,
    ppks_raw           VARCHAR,
    raw_values         VARCHAR[],
    raw_json           VARCHAR,
    UNIQUE (source_file, file_sha256, sheet, row_number)
);
COMMENT ON TABLE rejected_row IS 'One row per data row that could not be loaded, with every reason and its original values.';
COMMENT ON COLUMN rejected_row.run_id IS 'The run that read the row.';
COMMENT ON COLUMN rejected_row.source IS 'tksk, psm or slrt.';
COMMENT ON COLUMN rejected_row.source_file IS 'File name without folders.';
COMMENT ON COLUMN rejected_row.file_sha256 IS 'SHA-256 of the file (see ingest_file.sha256).';
COMMENT ON COLUMN rejected_row.sheet IS 'Sheet name; empty for CSV files.';
COMMENT ON COLUMN rejected_row.row_number IS 'Row number as Excel shows it (1-based); for CSV the line number, header = 1.';
COMMENT ON COLUMN rejected_row.reasons IS 'no_name, category_unresolved and/or place_unresolved.';
COMMENT ON COLUMN rejected_row.reason_text IS 'The reasons in plain Indonesian, for the reporter.';
COMMENT ON COLUMN rejected_row.flags IS 'Problems found in the row besides the reasons (same flags as source_record).';
COMMENT ON COLUMN rejected_row.nama_raw IS 'The name cell as written.';
COMMENT ON COLUMN rejected_row.nik_raw IS 'The NIK cell as written.';
COMMENT ON COLUMN rejected_row.kk_raw IS 'The No. KK cell as written.';
COMMENT ON COLUMN rejected_row.tanggal_lahir_raw IS 'The birth-date cell as written.';
COMMENT ON COLUMN rejected_row.jenis_kelamin_raw IS 'The gender cell as written.';
COMMENT ON COLUMN rejected_row.desa_raw IS 'The desa/kelurahan cell as written.';
COMMENT ON COLUMN rejected_row.kecamatan_raw IS 'The kecamatan cell (or title block) as written.';
COMMENT ON COLUMN rejected_row.kabupaten_raw IS 'The kabupaten/kota cell (or title block) as written.';
COMMENT ON COLUMN rejected_row.ppks_raw IS 'The PPKS category as written (cell or sheet name).';
COMMENT ON COLUMN rejected_row.raw_values IS 'The original cells of the row as text, in the sheet''s column order.';
COMMENT ON COLUMN rejected_row.raw_json IS 'The original row as a JSON object: header text → cell text.';
