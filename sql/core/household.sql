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
