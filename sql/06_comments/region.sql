-- Column comments of region (table defined in sql/01_tables/region.sql).
COMMENT ON COLUMN region.kode IS 'Kemendagri code in dotted form: 35 (province), 35.14 (kabupaten/kota), 35.14.03 (kecamatan), 35.14.03.2001 (desa/kelurahan).';
COMMENT ON COLUMN region.nama IS 'Name of the region.';
COMMENT ON COLUMN region.tingkat IS 'Level: provinsi, kabupaten_kota, kecamatan or desa_kelurahan.';
COMMENT ON COLUMN region.kode_induk IS 'Code of the region one level up (null for the province).';
