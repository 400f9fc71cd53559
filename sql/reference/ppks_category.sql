CREATE TABLE IF NOT EXISTS ppks_category (
    kode       VARCHAR PRIMARY KEY,
    nama       VARCHAR NOT NULL,
    singkatan  VARCHAR,
    alias      VARCHAR
);
COMMENT ON TABLE ppks_category IS 'The 26 PPKS categories of Permensos No. 8 Tahun 2012.';
COMMENT ON COLUMN ppks_category.kode IS 'Category code PPKS-01 .. PPKS-26.';
COMMENT ON COLUMN ppks_category.nama IS 'Official name of the category (Permensos No. 8 Tahun 2012).';
COMMENT ON COLUMN ppks_category.singkatan IS 'Usual abbreviation, e.g. ABT.';
COMMENT ON COLUMN ppks_category.alias IS 'Other ways reporters write the category, separated by |.';
