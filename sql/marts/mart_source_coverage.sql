-- Mart: which sources see whom. Every person once, by the combination of sources
-- that reported them, per province and kabupaten/kota of their golden record; what
-- each person counts: transforms/mart_counts_before.sql.
CREATE OR REPLACE TABLE mart_source_coverage AS
-- The counts are kept night by night (core/source_coverage_count.sql); here they
-- get their names and shares. A row depends on the counts of its region (the
-- shares): a night writes again only the regions whose counts moved
-- (mart_source_coverage_moved, made by transforms/mart_counts_after.sql,
-- see ppks.warehouse.mart_delta), a whole build (mart_whole()) every row.
WITH counted AS (
    SELECT tingkat, kode, sources, source_count, persons FROM source_coverage_count AS c
    WHERE mart_whole() OR EXISTS (
        SELECT 1 FROM mart_source_coverage_moved AS m
        WHERE m.tingkat IS NOT DISTINCT FROM c.tingkat AND m.kode IS NOT DISTINCT FROM c.kode
    )
)
SELECT
    c.tingkat,
    c.kode,
    r.nama,
    c.sources,
    c.source_count,
    list_contains(string_split(c.sources, '+'), 'tksk') AS seen_by_tksk,
    list_contains(string_split(c.sources, '+'), 'psm') AS seen_by_psm,
    list_contains(string_split(c.sources, '+'), 'slrt') AS seen_by_slrt,
    c.persons,
    CAST(sum(c.persons) OVER (PARTITION BY c.tingkat, c.kode) AS BIGINT) AS persons_in_region,
    round(100.0 * c.persons / sum(c.persons) OVER (PARTITION BY c.tingkat, c.kode), 4)
        AS pct_of_region
FROM counted AS c
LEFT JOIN region AS r ON r.kode = c.kode
ORDER BY c.tingkat = 'provinsi' DESC, c.kode, c.source_count, c.sources;
COMMENT ON TABLE mart_source_coverage IS 'Mart. Which sources see whom: distinct persons per combination of sources that reported them (tksk, psm, slrt), for the province and each kabupaten/kota. Each person is in exactly one row per region, so the rows of a region add up to its persons; sum by source_count for persons seen by one, two or all three sources.';
COMMENT ON COLUMN mart_source_coverage.tingkat IS 'Region level: provinsi or kabupaten_kota.';
COMMENT ON COLUMN mart_source_coverage.kode IS 'Kemendagri code of the region.';
COMMENT ON COLUMN mart_source_coverage.nama IS 'Name of the region.';
COMMENT ON COLUMN mart_source_coverage.sources IS 'The sources that reported these persons, sorted and joined with +, e.g. psm+tksk.';
COMMENT ON COLUMN mart_source_coverage.source_count IS 'How many sources that is: 1, 2 or 3.';
COMMENT ON COLUMN mart_source_coverage.seen_by_tksk IS 'True when TKSK monthly reports are among the sources.';
COMMENT ON COLUMN mart_source_coverage.seen_by_psm IS 'True when PSM village lists are among the sources.';
COMMENT ON COLUMN mart_source_coverage.seen_by_slrt IS 'True when SLRT service exports are among the sources.';
COMMENT ON COLUMN mart_source_coverage.persons IS 'Distinct persons reported by exactly this combination of sources.';
COMMENT ON COLUMN mart_source_coverage.persons_in_region IS 'Distinct persons in the region (all combinations).';
COMMENT ON COLUMN mart_source_coverage.pct_of_region IS 'persons as a percentage of persons_in_region, 4 decimals.';
