-- Core: a person in a PPKS category. One row per (person, category), built from
-- every loaded row of that person in that category. Filled by
-- transforms/ppks_case_rows.sql for the persons whose rows changed
-- (core/person_rows.sql), like the golden record.
CREATE TABLE IF NOT EXISTS ppks_case (
    case_id         VARCHAR,
    person_id       VARCHAR,
    ppks_kode       VARCHAR,
    ppks_nama       VARCHAR,
    kode_kabupaten  VARCHAR,
    kode_kecamatan  VARCHAR,
    kode_desa       VARCHAR,
    first_seen      DATE,
    last_seen       DATE,
    months_seen     BIGINT,
    records         BIGINT,
    sources         VARCHAR[],
    source_count    BIGINT,
    record_ids      BIGINT[]
);
COMMENT ON TABLE ppks_case IS 'Core. One row per person per PPKS category: a person reported in two categories has two cases. Built from all loaded rows (source_record) of that person in that category; a night rebuilds the cases of the persons whose rows changed.';
COMMENT ON COLUMN ppks_case.case_id IS 'person_id/ppks_kode: identifies the case; stable as long as the person_id is.';
COMMENT ON COLUMN ppks_case.person_id IS 'The person (see person).';
COMMENT ON COLUMN ppks_case.ppks_kode IS 'PPKS category code PPKS-01 .. PPKS-26 (see ppks_category).';
COMMENT ON COLUMN ppks_case.ppks_nama IS 'Name of the PPKS category.';
COMMENT ON COLUMN ppks_case.kode_kabupaten IS 'Kabupaten/kota of the person (from the person''s golden record, so every case of a person is in the same place).';
COMMENT ON COLUMN ppks_case.kode_kecamatan IS 'Kecamatan of the person (golden record).';
COMMENT ON COLUMN ppks_case.kode_desa IS 'Desa/kelurahan of the person (golden record); null when no row named a desa that could be resolved.';
COMMENT ON COLUMN ppks_case.first_seen IS 'First date the person was seen in this category: handling date (TKSK), service date (SLRT) or report month. Null when only PSM lists (which carry no date) report the case.';
COMMENT ON COLUMN ppks_case.last_seen IS 'Last date the person was seen in this category (same dates as first_seen).';
COMMENT ON COLUMN ppks_case.months_seen IS 'Number of different calendar months with a dated row for this case.';
COMMENT ON COLUMN ppks_case.records IS 'Number of loaded rows behind the case.';
COMMENT ON COLUMN ppks_case.sources IS 'The sources that reported the case, sorted: psm, slrt, tksk.';
COMMENT ON COLUMN ppks_case.source_count IS 'How many of the three sources reported the case (1 to 3).';
COMMENT ON COLUMN ppks_case.record_ids IS 'The rows behind the case (source_record.record_id), oldest first: join source_record to see each event and its file, sheet and row.';
