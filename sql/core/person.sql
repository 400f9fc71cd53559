CREATE TABLE IF NOT EXISTS person (
    person_id       VARCHAR PRIMARY KEY,
    nik             VARCHAR,
    kk              VARCHAR,
    nama            VARCHAR,
    tanggal_lahir   DATE,
    tahun_lahir     INTEGER,
    jenis_kelamin   VARCHAR,
    kode_kabupaten  VARCHAR,
    kode_kecamatan  VARCHAR,
    kode_desa       VARCHAR,
    alamat          VARCHAR,
    records         INTEGER NOT NULL,
    sources         VARCHAR[] NOT NULL,
    first_seen      DATE,
    last_seen       DATE
);
COMMENT ON TABLE person IS 'One row per real person found across all loaded rows, with the best value of each field.';
COMMENT ON COLUMN person.person_id IS 'Identifier of the person; every loaded row names its person in source_record.person_id.';
COMMENT ON COLUMN person.nik IS 'NIK: the most frequent 16-digit NIK of the person''s rows (a NIK damaged by Excel only when nothing better exists). Full warehouse only; the analyst edition has nik_token.';
COMMENT ON COLUMN person.kk IS 'Family-card number (No. KK), chosen like nik. Full warehouse only; the analyst edition has kk_token.';
COMMENT ON COLUMN person.nama IS 'Name in upper case, the most frequent among the person''s rows. Full warehouse only.';
COMMENT ON COLUMN person.tanggal_lahir IS 'Birth date, the most frequent whole date (placeholders such as 01-01 only when nothing better exists). Full warehouse only.';
COMMENT ON COLUMN person.tahun_lahir IS 'Birth year, the most frequent among the rows.';
COMMENT ON COLUMN person.jenis_kelamin IS 'L (male) or P (female); null when unknown.';
COMMENT ON COLUMN person.kode_kabupaten IS 'Kabupaten/kota where the person lives (most frequent among the rows); marts count the person here.';
COMMENT ON COLUMN person.kode_kecamatan IS 'Kecamatan where the person lives (most frequent among the rows).';
COMMENT ON COLUMN person.kode_desa IS 'Desa/kelurahan where the person lives (most frequent among the rows); null when no row had a resolved desa.';
COMMENT ON COLUMN person.alamat IS 'Street address as written (most frequent). Full warehouse only.';
COMMENT ON COLUMN person.records IS 'Number of loaded rows of the person.';
COMMENT ON COLUMN person.sources IS 'Sources that reported the person, sorted: psm, slrt, tksk.';
COMMENT ON COLUMN person.first_seen IS 'Earliest handling, service or report date of the person''s rows (null when only PSM lists report the person).';
COMMENT ON COLUMN person.last_seen IS 'Latest handling, service or report date of the person''s rows.';
