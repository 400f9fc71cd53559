-- The golden record of each person, rebuilt from all loaded rows after linkage.
-- Survivorship: the most frequent value among the person's rows, the latest row
-- breaking ties; a NIK damaged by Excel only when no undamaged one exists.
DELETE FROM person;
INSERT INTO person
WITH rows AS (
    SELECT
        r.*,
        coalesce(r.tanggal_kegiatan, r.bulan_laporan) AS seen_on,
        list_contains(r.flags, 'nik_excel_damaged') AS nik_damaged
    FROM source_record AS r
    WHERE r.person_id IS NOT NULL
)
SELECT
    person_id,
    coalesce(
        mode(nik) FILTER (WHERE NOT nik_damaged),
        mode(nik)
    ) AS nik,
    mode(kk) FILTER (WHERE NOT list_contains(flags, 'kk_excel_damaged')) AS kk,
    mode(nama) AS nama,
    mode(tanggal_lahir) FILTER (WHERE NOT list_contains(flags, 'dob_placeholder')) AS tanggal_lahir,
    mode(tahun_lahir) AS tahun_lahir,
    mode(jenis_kelamin) AS jenis_kelamin,
    mode(kode_kabupaten) AS kode_kabupaten,
    mode(kode_kecamatan) AS kode_kecamatan,
    mode(kode_desa) AS kode_desa,
    mode(alamat) AS alamat,
    count(*) AS records,
    list_sort(list_distinct(list(source))) AS sources,
    min(seen_on) AS first_seen,
    max(seen_on) AS last_seen
FROM rows
GROUP BY person_id;
