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
