-- Mart: data quality per reporter. The reporter of a file is the TKSK of its
-- kecamatan (TKSK monthly reports), the PSM of its desa (PSM lists) or the SLRT
-- operator of its kecamatan (SLRT exports), as ingest_file records them: the
-- kecamatan of a file is ingest_file.kode_kecamatan, and a PSM file's kecamatan
-- is that of its desa, so a reporter's kecamatan is the kecamatan of its files.
-- Rows and problem groups: intermediate/int_data_row.sql, counted by file in
-- core/quality_file_count.sql (kept night by night): this mart adds up those counts
-- rather than reading every row ever loaded. The reporter of a file: the macro
-- reporter_kode (sql/macros). A row depends on its reporter's files alone: a night
-- writes again only the reporters whose files came, changed status or had rows come
-- or leave (mart_quality_reporter_moved, made by transforms/quality_file_rows.sql,
-- see ppks.warehouse.mart_delta), a whole build (mart_whole()) every row.
CREATE OR REPLACE TABLE mart_quality_reporter AS
WITH every_file AS (
    SELECT f.*, reporter_kode(f.source, f.kode_desa, f.kode_kecamatan) AS reporter_kode
    FROM ingest_file AS f
),
files AS (
    SELECT * FROM every_file AS f
    WHERE mart_whole() OR EXISTS (
        SELECT 1 FROM mart_quality_reporter_moved AS m
        WHERE m.source = f.source AND m.reporter_kode IS NOT DISTINCT FROM f.reporter_kode
    )
),
file_facts AS (
    SELECT f.source, f.reporter_kode, q.*
    FROM quality_file_count AS q
    JOIN files AS f ON f.source_file = q.source_file AND f.sha256 = q.file_sha256
),
row_counts AS (
    SELECT
        source,
        reporter_kode,
        CAST(sum(rows) AS BIGINT) AS rows,
        CAST(coalesce(sum(rows) FILTER (WHERE outcome = 'loaded'), 0) AS BIGINT) AS rows_loaded,
        CAST(coalesce(sum(rows) FILTER (WHERE outcome = 'rejected'), 0) AS BIGINT) AS rows_rejected,
        CAST(sum(rows_flagged) AS BIGINT) AS rows_flagged,
        CAST(sum(rows_nik_problem) AS BIGINT) AS rows_nik_problem,
        CAST(sum(rows_dob_problem) AS BIGINT) AS rows_dob_problem
    FROM file_facts
    GROUP BY ALL
),
flag_counts AS (
    SELECT source, reporter_kode,
           map_from_entries(list({'key': flag, 'value': n} ORDER BY flag)) AS flags
    FROM (
        SELECT source, reporter_kode, e.key AS flag, CAST(sum(e.value) AS BIGINT) AS n
        FROM (SELECT source, reporter_kode, unnest(map_entries(flags)) AS e FROM file_facts)
        GROUP BY ALL
    )
    GROUP BY ALL
),
reason_counts AS (
    SELECT source, reporter_kode,
           map_from_entries(list({'key': reason, 'value': n} ORDER BY reason)) AS reject_reasons
    FROM (
        SELECT source, reporter_kode, e.key AS reason, CAST(sum(e.value) AS BIGINT) AS n
        FROM (
            SELECT source, reporter_kode, unnest(map_entries(reject_reasons)) AS e
            FROM file_facts
        )
        GROUP BY ALL
    )
    GROUP BY ALL
),
file_counts AS (
    SELECT
        source,
        reporter_kode,
        count(*) AS files,
        count(*) FILTER (WHERE status = 'loaded') AS files_loaded,
        count(*) FILTER (WHERE status = 'rejected') AS files_rejected,
        count(*) FILTER (WHERE status = 'duplicate') AS files_duplicate,
        min(bulan_laporan) AS first_month,
        max(bulan_laporan) AS last_month
    FROM files
    GROUP BY ALL
)
SELECT
    fc.source,
    fc.reporter_kode,
    CASE
        WHEN fc.reporter_kode IS NULL THEN upper(fc.source) || ' (unknown: files rejected whole)'
        WHEN fc.source = 'psm' THEN 'PSM ' || coalesce(reg.nama, fc.reporter_kode)
        ELSE upper(fc.source) || ' Kecamatan ' || coalesce(reg.nama, fc.reporter_kode)
    END AS reporter,
    left(fc.reporter_kode, 8) AS kode_kecamatan,
    left(fc.reporter_kode, 5) AS kode_kabupaten,
    fc.files,
    fc.files_loaded,
    fc.files_rejected,
    fc.files_duplicate,
    fc.first_month,
    fc.last_month,
    coalesce(rc.rows, 0) AS rows,
    coalesce(rc.rows_loaded, 0) AS rows_loaded,
    coalesce(rc.rows_rejected, 0) AS rows_rejected,
    round(100.0 * rc.rows_rejected / nullif(rc.rows, 0), 2) AS pct_rejected,
    coalesce(rc.rows_flagged, 0) AS rows_flagged,
    round(100.0 * rc.rows_flagged / nullif(rc.rows_loaded, 0), 2) AS pct_flagged,
    coalesce(rc.rows_nik_problem, 0) AS rows_nik_problem,
    coalesce(rc.rows_dob_problem, 0) AS rows_dob_problem,
    flc.flags,
    rsc.reject_reasons
FROM file_counts AS fc
LEFT JOIN row_counts AS rc
    ON rc.source = fc.source AND rc.reporter_kode IS NOT DISTINCT FROM fc.reporter_kode
LEFT JOIN flag_counts AS flc
    ON flc.source = fc.source AND flc.reporter_kode IS NOT DISTINCT FROM fc.reporter_kode
LEFT JOIN reason_counts AS rsc
    ON rsc.source = fc.source AND rsc.reporter_kode IS NOT DISTINCT FROM fc.reporter_kode
LEFT JOIN region AS reg ON reg.kode = fc.reporter_kode
ORDER BY fc.source, fc.reporter_kode NULLS LAST;
COMMENT ON TABLE mart_quality_reporter IS 'Mart. Data quality per reporter: the TKSK of a kecamatan (monthly reports), the PSM of a desa (village lists) or SLRT per kecamatan (exports). Files sent and their fate, rows loaded and rejected, rows with problems (flags, see docs/contracts.md). Counts rows, not persons.';
COMMENT ON COLUMN mart_quality_reporter.source IS 'tksk, psm or slrt.';
COMMENT ON COLUMN mart_quality_reporter.reporter_kode IS 'Region code of the reporter: kecamatan (TKSK, SLRT) or desa (PSM), from the file (ingest_file); null for files rejected whole, whose place is unknown.';
COMMENT ON COLUMN mart_quality_reporter.reporter IS 'The reporter in words, e.g. TKSK Kecamatan Beji, PSM Glanggang.';
COMMENT ON COLUMN mart_quality_reporter.kode_kecamatan IS 'Kecamatan of the reporter.';
COMMENT ON COLUMN mart_quality_reporter.kode_kabupaten IS 'Kabupaten/kota of the reporter.';
COMMENT ON COLUMN mart_quality_reporter.files IS 'Files received from the reporter (every status).';
COMMENT ON COLUMN mart_quality_reporter.files_loaded IS 'Files loaded.';
COMMENT ON COLUMN mart_quality_reporter.files_rejected IS 'Files rejected whole (see ingest_file.reason).';
COMMENT ON COLUMN mart_quality_reporter.files_duplicate IS 'Files that were the same bytes as a file already loaded.';
COMMENT ON COLUMN mart_quality_reporter.first_month IS 'TKSK: first report month received; null for other sources.';
COMMENT ON COLUMN mart_quality_reporter.last_month IS 'TKSK: last report month received; null for other sources.';
COMMENT ON COLUMN mart_quality_reporter.rows IS 'Data rows in the reporter''s files: loaded plus rejected.';
COMMENT ON COLUMN mart_quality_reporter.rows_loaded IS 'Rows loaded (source_record).';
COMMENT ON COLUMN mart_quality_reporter.rows_rejected IS 'Rows rejected (rejected_row): no name, unknown category or unknown place.';
COMMENT ON COLUMN mart_quality_reporter.pct_rejected IS 'rows_rejected as a percentage of rows, 2 decimals.';
COMMENT ON COLUMN mart_quality_reporter.rows_flagged IS 'Loaded rows with at least one flag.';
COMMENT ON COLUMN mart_quality_reporter.pct_flagged IS 'rows_flagged as a percentage of rows_loaded, 2 decimals.';
COMMENT ON COLUMN mart_quality_reporter.rows_nik_problem IS 'Loaded rows whose NIK is missing, malformed, damaged by Excel or has an impossible date.';
COMMENT ON COLUMN mart_quality_reporter.rows_dob_problem IS 'Loaded rows whose birth date is missing, unreadable, a placeholder or implausible.';
COMMENT ON COLUMN mart_quality_reporter.flags IS 'Flag -> number of loaded rows carrying it (docs/contracts.md lists the flags).';
COMMENT ON COLUMN mart_quality_reporter.reject_reasons IS 'Reason -> number of rejected rows with it (a row can have several).';
