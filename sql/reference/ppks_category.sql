CREATE TABLE IF NOT EXISTS ppks_category (
    kode       VARCHAR PRIMARY KEY,
    nama       VARCHAR NOT NULL,
    singkatan  VARCHAR,
    alias      VARCHAR
);
COMMENT ON TABLE ppks_category IS 'The 26 PPKS categories of Permensos No. 8 Tahun 2012.';
