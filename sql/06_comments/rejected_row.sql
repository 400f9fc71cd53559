-- Column comments of rejected_row not given in sql/01_tables/rejected_row.sql.
COMMENT ON COLUMN rejected_row.run_id IS 'The run that read the row.';
COMMENT ON COLUMN rejected_row.source IS 'tksk, psm or slrt.';
COMMENT ON COLUMN rejected_row.source_file IS 'File name without folders.';
COMMENT ON COLUMN rejected_row.file_sha256 IS 'SHA-256 of the file (see ingest_file.sha256).';
COMMENT ON COLUMN rejected_row.sheet IS 'Sheet name; empty for CSV files.';
COMMENT ON COLUMN rejected_row.row_number IS 'Row number as Excel shows it (1-based); for CSV the line number, header = 1.';
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
