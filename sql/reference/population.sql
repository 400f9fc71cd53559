CREATE TABLE IF NOT EXISTS population (
    kode    VARCHAR PRIMARY KEY,
    nama    VARCHAR NOT NULL,
    pria    BIGINT,
    wanita  BIGINT,
    total   BIGINT NOT NULL
);
COMMENT ON TABLE population IS 'Population of Jawa Timur and of each kabupaten/kota (source: cahyadsn/wilayah, MIT).';
