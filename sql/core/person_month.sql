-- Core: the months each person was seen in, per category and in any category: what
-- mart_ppks_monthly counts, kept per person so that a night recounts only the
-- persons whose rows changed. Filled by transforms/person_month_rows.sql, like
-- the golden record. A month is the month of a row's handling date (TKSK), service
-- date (SLRT) or report month; PSM lists carry no date and are not here.
CREATE TABLE IF NOT EXISTS person_month (
    person_id    VARCHAR NOT NULL,
    ppks_kode    VARCHAR,
    bulan        DATE NOT NULL,
    records      BIGINT NOT NULL,
    first_month  BOOLEAN NOT NULL
);
COMMENT ON TABLE person_month IS 'Core. One row per person, PPKS category and month the person was seen in (a dated row: TKSK handling date, SLRT service date, else the report month), plus one row per person and month for any category (ppks_kode = ''SEMUA''). What mart_ppks_monthly counts, kept per person: a night rebuilds the rows of the persons whose rows changed (person_rows).';
COMMENT ON COLUMN person_month.person_id IS 'The person (see person).';
COMMENT ON COLUMN person_month.ppks_kode IS 'PPKS category code (see ppks_category); ''SEMUA'' for the person in any category; null for rows that named no category.';
COMMENT ON COLUMN person_month.bulan IS 'First day of the month the person was seen in.';
COMMENT ON COLUMN person_month.records IS 'Loaded rows of the person (in this category) dated in this month.';
COMMENT ON COLUMN person_month.first_month IS 'True in the first month the person was seen in (in this category): they count as new (persons_new of mart_ppks_monthly) in that month.';
