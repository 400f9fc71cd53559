CREATE TABLE IF NOT EXISTS source_record (
    record_id          BIGINT PRIMARY KEY,
    run_id             VARCHAR NOT NULL,
    source             VARCHAR NOT NULL,
    source_file        VARCHAR NOT NULL,
    file_sha256        VARCHAR NOT NULL,
    sheet              VARCHAR NOT NULL,
    row_number         INTEGER NOT NULL,
    person_id          VARCHAR,
    nama               VARCHAR,
    nama_inti          VARCHAR,
    nasab              VARCHAR,
    gelar              VARCHAR,
    nik                VARCHAR,
    kk                 VARCHAR,
    jenis_kelamin      VARCHAR,
    tempat_lahir       VARCHAR,
    tanggal_lahir      DATE,
    tahun_lahir        INTEGER,
    umur               INTEGER,
    alamat             VARCHAR,
    rt                 VARCHAR,
    rw                 VARCHAR,
    kode_kabupaten     VARCHAR,
    kode_kecamatan     VARCHAR,
    kode_desa          VARCHAR,
    ppks_kode          VARCHAR,
    ppks_dari_sheet    BOOLEAN,
    bulan_laporan      DATE,
    tanggal_kegiatan   DATE,
    bentuk_penanganan  VARCHAR,
    keterangan         VARCHAR,
    nama_psm           VARCHAR,
    id_layanan         VARCHAR,
    jenis_keluhan      VARCHAR,
    program_rujukan    VARCHAR,
    status_rujukan     VARCHAR,
    petugas            VARCHAR,
    flags              VARCHAR[] NOT NULL,
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
    UNIQUE (source_file, file_sha256, sheet, row_number)
);
COMMENT ON TABLE source_record IS 'One row per loaded data row of every loaded file, with its normalised values, its problems (flags) and the person it belongs to.';
COMMENT ON COLUMN source_record.record_id IS 'Stable number of the row in this warehouse.';
COMMENT ON COLUMN source_record.run_id IS 'The run that loaded the row (see run_log).';
COMMENT ON COLUMN source_record.source IS 'tksk, psm or slrt.';
COMMENT ON COLUMN source_record.source_file IS 'File name without folders.';
COMMENT ON COLUMN source_record.file_sha256 IS 'SHA-256 of the file (see ingest_file.sha256).';
COMMENT ON COLUMN source_record.sheet IS 'Sheet name; empty for CSV files.';
COMMENT ON COLUMN source_record.row_number IS 'Row number as Excel shows it (1-based); for CSV the line number, header = 1.';
COMMENT ON COLUMN source_record.person_id IS 'The person this row belongs to (see person).';
COMMENT ON COLUMN source_record.nama IS 'Name in upper case, titles removed (they are in gelar).';
COMMENT ON COLUMN source_record.nama_inti IS 'Name without the bin/binti part.';
COMMENT ON COLUMN source_record.nasab IS 'The part after bin/binti (father''s name), if written.';
COMMENT ON COLUMN source_record.gelar IS 'Titles and honorifics removed from the name (H., Hj., Dr., ...).';
COMMENT ON COLUMN source_record.nik IS '16-digit NIK when one was written with 16 digits; check flags (nik_excel_damaged: last digit unreliable).';
COMMENT ON COLUMN source_record.kk IS '16-digit family-card number (No. KK); check flags.';
COMMENT ON COLUMN source_record.jenis_kelamin IS 'L (male) or P (female); null when not written.';
COMMENT ON COLUMN source_record.tempat_lahir IS 'Place of birth as written.';
COMMENT ON COLUMN source_record.tanggal_lahir IS 'Birth date when a whole date was written (check flags for placeholders and swaps).';
COMMENT ON COLUMN source_record.tahun_lahir IS 'Birth year: from the date, from a year alone, or estimated from Umur (flag dob_from_age).';
COMMENT ON COLUMN source_record.umur IS 'Age as written (Umur), when given.';
COMMENT ON COLUMN source_record.alamat IS 'Street address as written.';
COMMENT ON COLUMN source_record.rt IS 'RT (neighbourhood unit) as written.';
COMMENT ON COLUMN source_record.rw IS 'RW (community unit) as written.';
COMMENT ON COLUMN source_record.kode_kabupaten IS 'Kemendagri code of the kabupaten/kota, e.g. 35.14.';
COMMENT ON COLUMN source_record.kode_kecamatan IS 'Kemendagri code of the kecamatan, e.g. 35.14.03.';
COMMENT ON COLUMN source_record.kode_desa IS 'Kemendagri code of the desa/kelurahan, e.g. 35.14.03.2001; null when unresolved.';
COMMENT ON COLUMN source_record.ppks_kode IS 'PPKS category code PPKS-01 .. PPKS-26 (see ppks_category).';
COMMENT ON COLUMN source_record.ppks_dari_sheet IS 'True when the category came from the PSM sheet name, not from the row.';
COMMENT ON COLUMN source_record.bulan_laporan IS 'Month the row reports on (TKSK title month, SLRT service month); null for PSM lists.';
COMMENT ON COLUMN source_record.tanggal_kegiatan IS 'Date of the handling (TKSK Tanggal Penanganan) or service (SLRT tanggal_layanan).';
COMMENT ON COLUMN source_record.bentuk_penanganan IS 'TKSK: the form of handling (Asesmen, Rujukan panti, ...).';
COMMENT ON COLUMN source_record.keterangan IS 'Free-text remark of the reporter.';
COMMENT ON COLUMN source_record.nama_psm IS 'PSM: the name of the PSM worker who made the list.';
COMMENT ON COLUMN source_record.id_layanan IS 'SLRT service event id; a re-export repeats it (same event).';
COMMENT ON COLUMN source_record.jenis_keluhan IS 'SLRT: the complaint.';
COMMENT ON COLUMN source_record.program_rujukan IS 'SLRT: the programme the person was referred to.';
COMMENT ON COLUMN source_record.status_rujukan IS 'SLRT: status of the referral in this export (Diajukan, Diproses, Selesai, Ditolak).';
COMMENT ON COLUMN source_record.petugas IS 'SLRT: the officer who recorded the service.';
COMMENT ON COLUMN source_record.flags IS 'Problems found in the row (docs/contracts.md): nik_missing, nik_excel_damaged, dob_placeholder, ...';
COMMENT ON COLUMN source_record.nama_raw IS 'The name cell as written.';
COMMENT ON COLUMN source_record.nik_raw IS 'The NIK cell as written (a number cell as Excel shows it).';
COMMENT ON COLUMN source_record.kk_raw IS 'The No. KK cell as written.';
COMMENT ON COLUMN source_record.tanggal_lahir_raw IS 'The birth-date cell as written.';
COMMENT ON COLUMN source_record.jenis_kelamin_raw IS 'The gender cell as written.';
COMMENT ON COLUMN source_record.desa_raw IS 'The desa/kelurahan cell as written.';
COMMENT ON COLUMN source_record.kecamatan_raw IS 'The kecamatan cell (or title block) as written.';
COMMENT ON COLUMN source_record.kabupaten_raw IS 'The kabupaten/kota cell (or title block) as written.';
COMMENT ON COLUMN source_record.ppks_raw IS 'The PPKS category as written (cell or sheet name).';
COMMENT ON COLUMN source_record.raw_values IS 'The original cells of the row as text, in the sheet''s column order (header texts: source_sheet.headers).';
