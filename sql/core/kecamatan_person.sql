-- Core: which persons have loaded rows in which kecamatan (a row's own kecamatan):
-- the persons of mart_quality_kecamatan, kept by transforms/kecamatan_person_rows.sql
-- for the persons whose rows changed, so that the mart counts these pairs instead of
-- every row ever loaded, every night.
CREATE TABLE IF NOT EXISTS kecamatan_person (
    kode_kecamatan VARCHAR,
    person_id      VARCHAR NOT NULL
);
COMMENT ON TABLE kecamatan_person IS 'Core. One row per kecamatan and person with a loaded row in it (the row''s own kecamatan, which may differ from the person''s golden record). Kept up to date night by night for the persons whose rows changed (person_rows); mart_quality_kecamatan counts its persons from it.';
COMMENT ON COLUMN kecamatan_person.kode_kecamatan IS 'Kemendagri code of the kecamatan of the row; null for rows without one.';
COMMENT ON COLUMN kecamatan_person.person_id IS 'The person (see person).';
