-- Mart: data quality per kecamatan. A loaded row belongs to its own kecamatan; a
-- rejected row (whose place may be unknown) to the kecamatan of its file
-- (ingest_file.kode_kecamatan). Rows and problem groups: intermediate/int_data_row.sql.
-- `rows` is read three times: NOT MATERIALIZED has each reading stream it, where
-- DuckDB would otherwise hold every data row ever loaded in memory (570 MB to
-- 186 MB at two years of a province, and faster).
CREATE OR REPLACE TABLE mart_quality_kecamatan AS
WITH rows AS NOT MATERIALIZED (
    SELECT
        CASE WHEN d.outcome = 'loaded' THEN d.kode_kecamatan ELSE f.kode_kecamatan END
            AS kode_kecamatan,
        d.* EXCLUDE (kode_kecamatan)
    FROM int_data_row AS d
    LEFT JOIN ingest_file AS f
      ON d.outcome = 'rejected' AND f.source_file = d.source_file AND f.sha256 = d.file_sha256
),
counts AS (
    SELECT
        kode_kecamatan,
        count(DISTINCT (source_file, file_sha256)) AS files,
        count(*) AS rows,
        count(*) FILTER (WHERE outcome = 'loaded') AS rows_loaded,
        count(*) FILTER (WHERE outcome = 'rejected') AS rows_rejected,
        count(*) FILTER (WHERE flagged) AS rows_flagged,
        count(*) FILTER (WHERE nik_problem) AS rows_nik_problem,
        count(*) FILTER (WHERE dob_problem) AS rows_dob_problem,
        count(DISTINCT person_id) AS persons
    FROM rows
    GROUP BY ALL
),
flag_counts AS (
    SELECT kode_kecamatan,
           map_from_entries(list({'key': flag, 'value': n} ORDER BY flag)) AS flags
    FROM (
        SELECT kode_kecamatan, flag, count(*) AS n
        FROM (SELECT kode_kecamatan, unnest(flags) AS flag FROM rows WHERE outcome = 'loaded')
        GROUP BY ALL
    )
    GROUP BY ALL
),
reason_counts AS (
    SELECT kode_kecamatan,
           map_from_entries(list({'key': reason, 'value': n} ORDER BY reason)) AS reject_reasons
    FROM (
        SELECT kode_kecamatan, reason, count(*) AS n
        FROM (SELECT kode_kecamatan, unnest(reasons) AS reason FROM rows WHERE outcome = 'rejected')
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
    c.persons,
    fc.flags,
    rc.reject_reasons
FROM counts AS c
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
