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
COMMENT ON COLUMN rejected_row.reasons IS 'no_name, category_unresolved and/or place_unresolved.';
COMMENT ON COLUMN rejected_row.reason_text IS 'The reasons in plain Indonesian, for the reporter.';
COMMENT ON COLUMN rejected_row.raw_values IS 'The original cells of the row as text, in the sheet''s column order.';
COMMENT ON COLUMN rejected_row.raw_json IS 'The original row as a JSON object: header text → cell text.';
