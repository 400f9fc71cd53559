CREATE TABLE IF NOT EXISTS population (
    kode    VARCHAR PRIMARY KEY,
    nama    VARCHAR NOT NULL,
    pria    BIGINT,
    wanita  BIGINT,
    total   BIGINT NOT NULL
);
COMMENT ON TABLE population IS 'Population of Jawa Timur and of each kabupaten/kota (source: cahyadsn/wilayah, MIT).';
COMMENT ON COLUMN population.kode IS 'Region code: 35 for the province or a kabupaten/kota code (see region).';
COMMENT ON COLUMN population.nama IS 'Name of the region.';
COMMENT ON COLUMN population.pria IS 'Male inhabitants.';
COMMENT ON COLUMN population.wanita IS 'Female inhabitants.';
COMMENT ON COLUMN population.total IS 'All inhabitants: the denominator of the rates in the marts.';
