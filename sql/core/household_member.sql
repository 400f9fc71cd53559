-- Core: the persons on each family card (No. KK of the golden record), one row
-- per person, oldest first; with the PPKS categories each member is reported in.
-- Filled by transforms/household_member_rows.sql for the family cards of the
-- persons whose rows changed (core/person_rows.sql).
CREATE TABLE IF NOT EXISTS household_member (
    kk              VARCHAR,
    person_id       VARCHAR,
    urutan          BIGINT,
    members_known   BIGINT,
    jenis_kelamin   VARCHAR,
    tahun_lahir     INTEGER,
    ppks_kode       VARCHAR[],
    kode_kabupaten  VARCHAR,
    kode_kecamatan  VARCHAR,
    kode_desa       VARCHAR
);
COMMENT ON TABLE household_member IS 'Core. Households: one row per person on a family card (the No. KK of the person''s golden record), oldest first. Only persons known to the warehouse are listed, not every member of the card.';
COMMENT ON COLUMN household_member.kk IS 'Family-card number (No. KK) of the household.';
COMMENT ON COLUMN household_member.person_id IS 'The member (see person).';
COMMENT ON COLUMN household_member.urutan IS 'Position in the household by birth date, 1 = oldest known member.';
COMMENT ON COLUMN household_member.members_known IS 'How many persons in the warehouse carry this family card.';
COMMENT ON COLUMN household_member.jenis_kelamin IS 'L (male) or P (female); null when unknown.';
COMMENT ON COLUMN household_member.tahun_lahir IS 'Birth year of the member.';
COMMENT ON COLUMN household_member.ppks_kode IS 'PPKS categories the member is reported in, sorted.';
COMMENT ON COLUMN household_member.kode_kabupaten IS 'Kabupaten/kota of the member (golden record).';
COMMENT ON COLUMN household_member.kode_kecamatan IS 'Kecamatan of the member (golden record).';
COMMENT ON COLUMN household_member.kode_desa IS 'Desa/kelurahan of the member (golden record).';
