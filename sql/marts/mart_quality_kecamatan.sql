-- Mart: data quality per kecamatan. A loaded row belongs to its own kecamatan; a
-- rejected row (whose place may be unknown) to the kecamatan of its file
-- (ingest_file.kode_kecamatan). Rows and problem groups: intermediate/int_data_row.sql,
-- counted by file in core/quality_file_count.sql; the persons of each kecamatan are
-- core/kecamatan_person.sql's: both kept night by night, so that this mart adds up
-- their counts rather than reading every row ever loaded. A row depends on its
-- kecamatan's counts alone: a night writes again only the kecamatans whose counts or
-- persons moved (mart_quality_kecamatan_moved, made by transforms/kecamatan_person_rows.sql
-- and quality_file_rows.sql; ppks.warehouse.mart_delta), a whole build (mart_whole())
-- every row.
CREATE OR REPLACE TABLE mart_quality_kecamatan AS
WITH every_count AS (
    SELECT
        CASE WHEN q.outcome = 'loaded' THEN q.kode_kecamatan ELSE f.kode_kecamatan END
            AS kode_kecamatan,
        q.* EXCLUDE (kode_kecamatan)
    FROM quality_file_count AS q
    LEFT JOIN ingest_file AS f
      ON q.outcome = 'rejected' AND f.source_file = q.source_file AND f.sha256 = q.file_sha256
),
counted AS (
    SELECT * FROM every_count AS c
    WHERE mart_whole() OR EXISTS (
        SELECT 1 FROM mart_quality_kecamatan_moved AS m
        WHERE m.kode_kecamatan IS NOT DISTINCT FROM c.kode_kecamatan
    )
),
persons AS (
    SELECT kode_kecamatan, count(*) AS persons
    FROM kecamatan_person AS k
    WHERE mart_whole() OR EXISTS (
        SELECT 1 FROM mart_quality_kecamatan_moved AS m
        WHERE m.kode_kecamatan IS NOT DISTINCT FROM k.kode_kecamatan
    )
    GROUP BY ALL
),
counts AS (
    SELECT
        kode_kecamatan,
        count(DISTINCT (source_file, file_sha256)) AS files,
        CAST(sum(rows) AS BIGINT) AS rows,
        CAST(coalesce(sum(rows) FILTER (WHERE outcome = 'loaded'), 0) AS BIGINT) AS rows_loaded,
        CAST(coalesce(sum(rows) FILTER (WHERE outcome = 'rejected'), 0) AS BIGINT) AS rows_rejected,
        CAST(sum(rows_flagged) AS BIGINT) AS rows_flagged,
        CAST(sum(rows_nik_problem) AS BIGINT) AS rows_nik_problem,
        CAST(sum(rows_dob_problem) AS BIGINT) AS rows_dob_problem
    FROM counted
    GROUP BY ALL
),
flag_counts AS (
    SELECT kode_kecamatan,
           map_from_entries(list({'key': flag, 'value': n} ORDER BY flag)) AS flags
    FROM (
        SELECT kode_kecamatan, e.key AS flag, CAST(sum(e.value) AS BIGINT) AS n
        FROM (SELECT kode_kecamatan, unnest(map_entries(flags)) AS e FROM counted)
        GROUP BY ALL
    )
    GROUP BY ALL
),
reason_counts AS (
    SELECT kode_kecamatan,
           map_from_entries(list({'key': reason, 'value': n} ORDER BY reason)) AS reject_reasons
    FROM (
        SELECT kode_kecamatan, e.key AS reason, CAST(sum(e.value) AS BIGINT) AS n
        FROM (SELECT kode_kecamatan, unnest(map_entries(reject_reasons)) AS e FROM counted)
        GROUP BY ALL
    )
    GROUP BY ALL
)
SELECT
    c.kode_kecamatan,
    coalesce(kec.nama, 'unknown') AS nama_kecamatan,
    left(c.kode_kecamatan, 5) AS kode_kabupaten,
    kab.nama AS nama_kabupaten,
    c.files,
    c.rows,
    c.rows_loaded,
    c.rows_rejected,
    round(100.0 * c.rows_rejected / nullif(c.rows, 0), 2) AS pct_rejected,
    c.rows_flagged,
    round(100.0 * c.rows_flagged / nullif(c.rows_loaded, 0), 2) AS pct_flagged,
    c.rows_nik_problem,
    c.rows_dob_problem,
    coalesce(p.persons, 0) AS persons,
    fc.flags,
    rc.reject_reasons
FROM counts AS c
LEFT JOIN persons AS p ON p.kode_kecamatan IS NOT DISTINCT FROM c.kode_kecamatan
LEFT JOIN flag_counts AS fc ON fc.kode_kecamatan IS NOT DISTINCT FROM c.kode_kecamatan
LEFT JOIN reason_counts AS rc ON rc.kode_kecamatan IS NOT DISTINCT FROM c.kode_kecamatan
LEFT JOIN region AS kec ON kec.kode = c.kode_kecamatan
LEFT JOIN region AS kab ON kab.kode = left(c.kode_kecamatan, 5)
ORDER BY c.kode_kecamatan NULLS LAST;
COMMENT ON TABLE mart_quality_kecamatan IS 'Mart. Data quality per kecamatan: rows loaded and rejected, rows with problems (flags, docs/contracts.md), persons. A loaded row counts in its own kecamatan; a rejected row in the kecamatan of its file (null when the file names none). Counts rows, except persons.';
COMMENT ON COLUMN mart_quality_kecamatan.kode_kecamatan IS 'Kemendagri code of the kecamatan; null for rejected rows from files without a known kecamatan.';
COMMENT ON COLUMN mart_quality_kecamatan.nama_kecamatan IS 'Name of the kecamatan (unknown when kode_kecamatan is null).';
COMMENT ON COLUMN mart_quality_kecamatan.kode_kabupaten IS 'Kabupaten/kota of the kecamatan.';
COMMENT ON COLUMN mart_quality_kecamatan.nama_kabupaten IS 'Name of the kabupaten/kota.';
COMMENT ON COLUMN mart_quality_kecamatan.files IS 'Files with rows in this kecamatan.';
COMMENT ON COLUMN mart_quality_kecamatan.rows IS 'Data rows: loaded plus rejected.';
COMMENT ON COLUMN mart_quality_kecamatan.rows_loaded IS 'Rows loaded (source_record).';
COMMENT ON COLUMN mart_quality_kecamatan.rows_rejected IS 'Rows rejected (rejected_row).';
COMMENT ON COLUMN mart_quality_kecamatan.pct_rejected IS 'rows_rejected as a percentage of rows, 2 decimals.';
COMMENT ON COLUMN mart_quality_kecamatan.rows_flagged IS 'Loaded rows with at least one flag.';
COMMENT ON COLUMN mart_quality_kecamatan.pct_flagged IS 'rows_flagged as a percentage of rows_loaded, 2 decimals.';
COMMENT ON COLUMN mart_quality_kecamatan.rows_nik_problem IS 'Loaded rows whose NIK is missing, malformed, damaged by Excel or has an impossible date.';
COMMENT ON COLUMN mart_quality_kecamatan.rows_dob_problem IS 'Loaded rows whose birth date is missing, unreadable, a placeholder or implausible.';
COMMENT ON COLUMN mart_quality_kecamatan.persons IS 'Distinct persons among the loaded rows of the kecamatan (a row''s own kecamatan, which may differ from the person''s golden record).';
COMMENT ON COLUMN mart_quality_kecamatan.flags IS 'Flag -> number of loaded rows carrying it.';
COMMENT ON COLUMN mart_quality_kecamatan.reject_reasons IS 'Reason -> number of rejected rows with it.';
