-- Core: the counts of mart_source_coverage, kept up to date from the persons whose
-- rows changed (transforms/mart_counts_before.sql subtracts what they counted,
-- transforms/mart_counts_after.sql adds what they count now); the mart adds the
-- names and shares. What a person counts in: transforms/mart_counts_before.sql.
CREATE TABLE IF NOT EXISTS source_coverage_count (
    tingkat       VARCHAR,
    kode          VARCHAR,
    sources       VARCHAR,
    source_count  BIGINT,
    persons       BIGINT NOT NULL
);
COMMENT ON TABLE source_coverage_count IS 'Core. Distinct persons per province or kabupaten/kota (of their golden record) and combination of sources that reported them; only counts above 0. Kept up to date night by night from the persons whose rows changed; mart_source_coverage is built from it.';
COMMENT ON COLUMN source_coverage_count.tingkat IS 'Level of the region: provinsi or kabupaten_kota.';
COMMENT ON COLUMN source_coverage_count.kode IS 'Code of the region (see region).';
COMMENT ON COLUMN source_coverage_count.sources IS 'The sources that reported the person, sorted and joined with + (e.g. psm+tksk).';
COMMENT ON COLUMN source_coverage_count.source_count IS 'How many distinct sources that is.';
COMMENT ON COLUMN source_coverage_count.persons IS 'Distinct persons of this region reported by exactly this combination of sources.';
