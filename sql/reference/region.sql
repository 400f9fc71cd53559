CREATE TABLE IF NOT EXISTS region (
    kode        VARCHAR PRIMARY KEY,
    nama        VARCHAR NOT NULL,
    tingkat     VARCHAR NOT NULL,
    kode_induk  VARCHAR
);
COMMENT ON TABLE region IS 'Kemendagri 2025 regions of Jawa Timur: the province, kabupaten/kota, kecamatan and desa/kelurahan (source: cahyadsn/wilayah, MIT).';
