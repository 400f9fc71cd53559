-- Column comments of ppks_category (table defined in sql/01_tables/ppks_category.sql).
COMMENT ON COLUMN ppks_category.kode IS 'Category code PPKS-01 .. PPKS-26.';
COMMENT ON COLUMN ppks_category.nama IS 'Official name of the category (Permensos No. 8 Tahun 2012).';
COMMENT ON COLUMN ppks_category.singkatan IS 'Usual abbreviation, e.g. ABT.';
COMMENT ON COLUMN ppks_category.alias IS 'Other ways reporters write the category, separated by |.';
