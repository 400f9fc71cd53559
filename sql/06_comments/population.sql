-- Column comments of population (table defined in sql/01_tables/population.sql).
COMMENT ON COLUMN population.kode IS 'Region code: 35 for the province or a kabupaten/kota code (see region).';
COMMENT ON COLUMN population.nama IS 'Name of the region.';
COMMENT ON COLUMN population.pria IS 'Male inhabitants.';
COMMENT ON COLUMN population.wanita IS 'Female inhabitants.';
COMMENT ON COLUMN population.total IS 'All inhabitants: the denominator of the rates in the marts.';
