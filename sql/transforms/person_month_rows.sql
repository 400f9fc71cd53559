-- Fills core/person_month.sql's table for the persons whose rows changed
-- (person_changed, person_touched: transforms/person_touched.sql). A person's
-- months depend on their rows alone. Only rows of persons with a golden record
-- count (every changed person has one by now).
DELETE FROM person_month WHERE person_id IN (SELECT person_id FROM person_touched);
INSERT INTO person_month BY NAME
WITH dated AS (
    SELECT
        r.person_id,
        r.ppks_kode,
        CAST(date_trunc('month', coalesce(r.tanggal_kegiatan, r.bulan_laporan)) AS DATE) AS bulan,
        count(*) AS records
    FROM source_record AS r
    SEMI JOIN person_changed AS c USING (person_id)
    WHERE coalesce(r.tanggal_kegiatan, r.bulan_laporan) IS NOT NULL
    GROUP BY ALL
)
SELECT
    person_id, ppks_kode, bulan, records,
    bulan = min(bulan) OVER (PARTITION BY person_id, ppks_kode) AS first_month
FROM dated
UNION ALL
SELECT
    person_id, 'SEMUA', bulan, sum(records)::BIGINT,
    bulan = min(bulan) OVER (PARTITION BY person_id)
FROM dated
GROUP BY person_id, bulan;
