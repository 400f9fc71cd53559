-- The golden record of each person, rebuilt from all loaded rows after linkage
-- (ppks.link assigns source_record.person_id). Survivorship, per field (docs/linkage.md):
-- - nik, kk: the most frequent value among rows where it is trustworthy (not
--   damaged by Excel; for the NIK also consistent with the row's birth date and
--   gender, so a head of family's NIK written for his wife does not win); then
--   among undamaged values; then any.
-- - nama: the most frequent name; ties go to the longer name (more complete), then
--   the smallest.
-- - tanggal_lahir: the most frequent real date (not a placeholder); then any date.
-- - tahun_lahir: the year of that date; else the most frequent year written
--   (not estimated from Umur); else the most frequent estimate.
-- - jenis_kelamin: the most frequent written gender.
-- - kode_kabupaten/kecamatan/desa, alamat: the most recent row that has the value
--   (report month or service date, then the latest loaded row): people move.
-- Ties in most_frequent go to the smallest value, so the result never depends on
-- the order rows were scanned in.
--
-- Only the persons whose rows changed are rebuilt (core/person_rows.sql): a
-- golden record depends on its person's rows alone, and rows are never edited
-- once loaded, only moved between persons, so the same rows give the same record.
-- golden_record_rules() is the fingerprint of this file and of the other steps
-- (ppks.warehouse.write_steps). Which persons changed (person_changed) and which
-- are rebuilt or gone (person_touched): transforms/person_touched.sql, the first
-- step; person_rows_kept ends the night's bookkeeping.
DELETE FROM person WHERE person_id IN (SELECT person_id FROM person_touched);
INSERT INTO person
WITH rows AS (
    SELECT
        r.*,
        coalesce(r.tanggal_kegiatan, r.bulan_laporan) AS seen_on,
        list_contains(r.flags, 'nik_excel_damaged') AS nik_damaged,
        list_contains(r.flags, 'nik_dob_mismatch')
            OR list_contains(r.flags, 'nik_gender_mismatch') AS nik_disagrees,
        list_contains(r.flags, 'kk_excel_damaged') AS kk_damaged,
        list_contains(r.flags, 'dob_placeholder') AS dob_placeholder,
        list_contains(r.flags, 'dob_from_age') AS year_from_age
    FROM source_record AS r
    SEMI JOIN person_changed AS c USING (person_id)
),
best AS (
    SELECT
        person_id,
        coalesce(
            most_frequent(histogram(nik) FILTER (WHERE NOT nik_damaged AND NOT nik_disagrees)),
            most_frequent(histogram(nik) FILTER (WHERE NOT nik_damaged)),
            most_frequent(histogram(nik))
        ) AS nik,
        coalesce(
            most_frequent(histogram(kk) FILTER (WHERE NOT kk_damaged)),
            most_frequent(histogram(kk))
        ) AS kk,
        list_sort(
            list_transform(
                map_entries(histogram(nama)),
                lambda e: {'n': -CAST(e.value AS BIGINT), 'len': -length(e.key), 'k': e.key}
            )
        )[1].k AS nama,
        coalesce(
            most_frequent(histogram(tanggal_lahir) FILTER (WHERE NOT dob_placeholder)),
            most_frequent(histogram(tanggal_lahir))
        ) AS tanggal_lahir,
        coalesce(
            most_frequent(histogram(tahun_lahir) FILTER (WHERE NOT year_from_age)),
            most_frequent(histogram(tahun_lahir))
        ) AS tahun_lahir_written,
        most_frequent(histogram(jenis_kelamin)) AS jenis_kelamin,
        arg_max(kode_kabupaten, (seen_on, record_id)) FILTER (WHERE kode_kabupaten IS NOT NULL)
            AS kode_kabupaten,
        arg_max(kode_kecamatan, (seen_on, record_id)) FILTER (WHERE kode_kecamatan IS NOT NULL)
            AS kode_kecamatan,
        arg_max(kode_desa, (seen_on, record_id)) FILTER (WHERE kode_desa IS NOT NULL)
            AS kode_desa,
        arg_max(alamat, (seen_on, record_id)) FILTER (WHERE alamat IS NOT NULL) AS alamat,
        count(*) AS records,
        list_sort(list_distinct(list(source))) AS sources,
        min(seen_on) AS first_seen,
        max(seen_on) AS last_seen
    FROM rows
    GROUP BY person_id
)
SELECT
    person_id,
    nik,
    kk,
    nama,
    tanggal_lahir,
    coalesce(year(tanggal_lahir), tahun_lahir_written) AS tahun_lahir,
    jenis_kelamin,
    kode_kabupaten,
    kode_kecamatan,
    kode_desa,
    alamat,
    records,
    sources,
    first_seen,
    last_seen
FROM best;
