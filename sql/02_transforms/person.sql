-- The golden record of each person, rebuilt from all loaded rows after linkage.
-- Survivorship: the most frequent value among the person's rows (ties: the
-- smallest value); a NIK or KK damaged by Excel, or a placeholder birth date,
-- only when nothing better exists.
DELETE FROM person;
INSERT INTO person
WITH rows AS (
    SELECT
        r.*,
        coalesce(r.tanggal_kegiatan, r.bulan_laporan) AS seen_on,
        list_contains(r.flags, 'nik_excel_damaged') AS nik_damaged,
        list_contains(r.flags, 'kk_excel_damaged') AS kk_damaged,
        list_contains(r.flags, 'dob_placeholder') AS dob_placeholder
    FROM source_record AS r
    WHERE r.person_id IS NOT NULL
)
SELECT
    person_id,
    coalesce(
        most_frequent(histogram(nik) FILTER (WHERE NOT nik_damaged)),
        most_frequent(histogram(nik))
    ) AS nik,
    coalesce(
        most_frequent(histogram(kk) FILTER (WHERE NOT kk_damaged)),
        most_frequent(histogram(kk))
    ) AS kk,
    most_frequent(histogram(nama)) AS nama,
    coalesce(
        most_frequent(histogram(tanggal_lahir) FILTER (WHERE NOT dob_placeholder)),
        most_frequent(histogram(tanggal_lahir))
    ) AS tanggal_lahir,
    most_frequent(histogram(tahun_lahir)) AS tahun_lahir,
    most_frequent(histogram(jenis_kelamin)) AS jenis_kelamin,
    most_frequent(histogram(kode_kabupaten)) AS kode_kabupaten,
    most_frequent(histogram(kode_kecamatan)) AS kode_kecamatan,
    most_frequent(histogram(kode_desa)) AS kode_desa,
    most_frequent(histogram(alamat)) AS alamat,
    count(*) AS records,
    list_sort(list_distinct(list(source))) AS sources,
    min(seen_on) AS first_seen,
    max(seen_on) AS last_seen
FROM rows
GROUP BY person_id;
