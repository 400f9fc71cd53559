-- Persons grouped by their family card (the KK of the golden record).
CREATE OR REPLACE VIEW household AS
SELECT
    kk,
    count(*) AS persons,
    list(person_id ORDER BY tanggal_lahir NULLS LAST, person_id) AS person_ids,
    list(nama ORDER BY tanggal_lahir NULLS LAST, person_id) AS names,
    min(kode_desa) AS kode_desa
FROM person
WHERE kk IS NOT NULL
GROUP BY kk;
COMMENT ON VIEW household IS 'One row per family card (No. KK): the persons on it, oldest first.';
COMMENT ON COLUMN household.kk IS 'Family-card number (No. KK) of the persons'' golden records.';
COMMENT ON COLUMN household.persons IS 'Persons in the warehouse on this card.';
COMMENT ON COLUMN household.person_ids IS 'Their person_id, oldest first (see household_member for one row per person).';
COMMENT ON COLUMN household.names IS 'Their names, in the same order. Full warehouse only.';
COMMENT ON COLUMN household.kode_desa IS 'Desa/kelurahan of the household (the smallest code among its members).';
