-- Fills core/quality_file_count.sql's table for the files whose rows came or left
-- since it was written: each file's rows now (their number and fingerprint, by
-- outcome) against what the table holds; the files that differ are counted again
-- from their rows (intermediate/int_data_row.sql), the others are as they were.
-- An empty table (a warehouse from before it) counts every file.
CREATE OR REPLACE TEMP TABLE quality_file_moved AS
WITH now AS (
    SELECT source_file, file_sha256, outcome, count(*) AS rows, bit_xor(row_hash) AS fingerprint
    FROM int_data_row
    GROUP BY ALL
),
kept AS (
    SELECT source_file, file_sha256, outcome, sum(rows) AS rows, bit_xor(fingerprint) AS fingerprint
    FROM quality_file_count
    GROUP BY ALL
)
SELECT
    coalesce(n.source_file, k.source_file) AS source_file,
    coalesce(n.file_sha256, k.file_sha256) AS file_sha256,
    coalesce(n.outcome, k.outcome) AS outcome
FROM now AS n
FULL JOIN kept AS k
  ON k.source_file IS NOT DISTINCT FROM n.source_file
 AND k.file_sha256 IS NOT DISTINCT FROM n.file_sha256 AND k.outcome = n.outcome
WHERE n.rows IS DISTINCT FROM k.rows OR n.fingerprint IS DISTINCT FROM k.fingerprint;
-- The kecamatans the moved files' rows counted in: their row of mart_quality_kecamatan
-- is written again (ppks.warehouse.mart_delta), with those they count in now (below).
INSERT INTO mart_quality_kecamatan_moved
SELECT c.kode_kecamatan
FROM quality_file_count AS c
SEMI JOIN quality_file_moved AS m
  ON c.source_file IS NOT DISTINCT FROM m.source_file
 AND c.file_sha256 IS NOT DISTINCT FROM m.file_sha256 AND c.outcome = m.outcome;
DELETE FROM quality_file_count AS c USING quality_file_moved AS m
WHERE c.source_file IS NOT DISTINCT FROM m.source_file
  AND c.file_sha256 IS NOT DISTINCT FROM m.file_sha256 AND c.outcome = m.outcome;
-- `rows` is read twice: NOT MATERIALIZED has each reading stream it (a first
-- night counts every row).
INSERT INTO quality_file_count BY NAME
WITH rows AS NOT MATERIALIZED (
    SELECT d.*
    FROM int_data_row AS d
    SEMI JOIN quality_file_moved AS m
      ON m.source_file IS NOT DISTINCT FROM d.source_file
     AND m.file_sha256 IS NOT DISTINCT FROM d.file_sha256 AND m.outcome = d.outcome
),
counts AS (
    SELECT
        source_file, file_sha256, outcome, kode_kecamatan,
        count(*) AS rows,
        count(*) FILTER (WHERE flagged) AS rows_flagged,
        count(*) FILTER (WHERE nik_problem) AS rows_nik_problem,
        count(*) FILTER (WHERE dob_problem) AS rows_dob_problem,
        bit_xor(row_hash) AS fingerprint
    FROM rows
    GROUP BY ALL
),
-- A loaded row's flags and a rejected row's reasons, counted alike: the group's
-- outcome says which map it is.
item_counts AS (
    SELECT source_file, file_sha256, outcome, kode_kecamatan,
           map_from_entries(list({'key': item, 'value': n} ORDER BY item)) AS items
    FROM (
        SELECT source_file, file_sha256, outcome, kode_kecamatan, item, count(*) AS n
        FROM (
            SELECT source_file, file_sha256, outcome, kode_kecamatan,
                   unnest(CASE outcome WHEN 'loaded' THEN flags ELSE reasons END) AS item
            FROM rows WHERE outcome IN ('loaded', 'rejected')
        )
        GROUP BY ALL
    )
    GROUP BY ALL
)
SELECT c.*,
       CASE WHEN c.outcome = 'loaded' THEN ic.items END AS flags,
       CASE WHEN c.outcome = 'rejected' THEN ic.items END AS reject_reasons
FROM counts AS c
LEFT JOIN item_counts AS ic
  ON ic.source_file IS NOT DISTINCT FROM c.source_file
 AND ic.file_sha256 IS NOT DISTINCT FROM c.file_sha256 AND ic.outcome = c.outcome
 AND ic.kode_kecamatan IS NOT DISTINCT FROM c.kode_kecamatan;
-- What the quality marts write again tonight (ppks.warehouse.mart_delta): the
-- kecamatans the moved files' rows count in now, and their files' (where a rejected
-- row counts); the reporters of the moved files and of the files this run added or
-- replaced (their statuses are counted). A run is in run_log once it has completed, so
-- files of a run not in it are tonight's.
INSERT INTO mart_quality_kecamatan_moved
SELECT c.kode_kecamatan
FROM quality_file_count AS c
SEMI JOIN quality_file_moved AS m
  ON c.source_file IS NOT DISTINCT FROM m.source_file
 AND c.file_sha256 IS NOT DISTINCT FROM m.file_sha256 AND c.outcome = m.outcome
UNION ALL
SELECT f.kode_kecamatan
FROM ingest_file AS f
SEMI JOIN quality_file_moved AS m
  ON f.source_file IS NOT DISTINCT FROM m.source_file AND f.sha256 IS NOT DISTINCT FROM m.file_sha256;
CREATE OR REPLACE TEMP TABLE mart_quality_reporter_moved AS
SELECT DISTINCT f.source, reporter_kode(f.source, f.kode_desa, f.kode_kecamatan) AS reporter_kode
FROM ingest_file AS f
WHERE EXISTS (
        SELECT 1 FROM quality_file_moved AS m
        WHERE m.source_file IS NOT DISTINCT FROM f.source_file
          AND m.file_sha256 IS NOT DISTINCT FROM f.sha256
    )
   OR NOT EXISTS (SELECT 1 FROM run_log AS r WHERE r.run_id = f.run_id)
   OR EXISTS (
        SELECT 1 FROM file_supersede AS s
        WHERE s.source_file = f.source_file AND s.sha256 = f.sha256
          AND NOT EXISTS (SELECT 1 FROM run_log AS r WHERE r.run_id = s.run_id)
    );
DROP TABLE quality_file_moved;
