-- Fills core/ppks_case.sql's table for the persons whose rows changed
-- (person_changed, person_touched: transforms/person_golden_record.sql). A case
-- depends on its person's rows, golden record and category name alone, so the
-- cases of the other persons are already what a rebuild would give.
DELETE FROM ppks_case WHERE person_id IN (SELECT person_id FROM person_touched);
INSERT INTO ppks_case
WITH rows AS (
    SELECT
        r.person_id,
        r.ppks_kode,
        r.record_id,
        r.source,
        coalesce(r.tanggal_kegiatan, r.bulan_laporan) AS seen_on
    FROM source_record AS r
    SEMI JOIN person_changed AS c USING (person_id)
    WHERE r.ppks_kode IS NOT NULL
)
SELECT
    rows.person_id || '/' || rows.ppks_kode AS case_id,
    rows.person_id,
    rows.ppks_kode,
    any_value(c.nama) AS ppks_nama,
    any_value(p.kode_kabupaten) AS kode_kabupaten,
    any_value(p.kode_kecamatan) AS kode_kecamatan,
    any_value(p.kode_desa) AS kode_desa,
    min(rows.seen_on) AS first_seen,
    max(rows.seen_on) AS last_seen,
    count(DISTINCT date_trunc('month', rows.seen_on)) AS months_seen,
    count(*) AS records,
    list_sort(list_distinct(list(rows.source))) AS sources,
    count(DISTINCT rows.source) AS source_count,
    list(rows.record_id ORDER BY rows.record_id) AS record_ids
FROM rows
LEFT JOIN person AS p ON p.person_id = rows.person_id
LEFT JOIN ppks_category AS c ON c.kode = rows.ppks_kode
GROUP BY rows.person_id, rows.ppks_kode;
