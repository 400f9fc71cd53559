CREATE TABLE IF NOT EXISTS region (
    kode        VARCHAR PRIMARY KEY,
    nama        VARCHAR NOT NULL,
    tingkat     VARCHAR NOT NULL,
    kode_induk  VARCHAR
);
COMMENT ON TABLE region IS 'Kemendagri 2025 regions of Jawa Timur: the province, kabupaten/kota, kecamatan and desa/kelurahan (source: cahyadsn/wilayah, MIT).';
COMMENT ON COLUMN region.kode IS 'Kemendagri code in dotted form: 35 (province), 35.14 (kabupaten/kota), 35.14.03 (kecamatan), 35.14.03.2001 (desa/kelurahan).';
COMMENT ON COLUMN region.nama IS 'Name of the region.';
COMMENT ON COLUMN region.tingkat IS 'Level: provinsi, kabupaten_kota, kecamatan or desa_kelurahan.';
COMMENT ON COLUMN region.kode_induk IS 'Code of the region one level up (null for the province).';
