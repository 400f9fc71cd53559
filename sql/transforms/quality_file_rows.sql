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
DELETE FROM quality_file_count AS c USING quality_file_moved AS m
WHERE c.source_file IS NOT DISTINCT FROM m.source_file
  AND c.file_sha256 IS NOT DISTINCT FROM m.file_sha256 AND c.outcome = m.outcome;
-- `rows` is read three times: NOT MATERIALIZED has each reading stream it (a first
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
flag_counts AS (
    SELECT source_file, file_sha256, outcome, kode_kecamatan,
           map_from_entries(list({'key': flag, 'value': n} ORDER BY flag)) AS flags
    FROM (
        SELECT source_file, file_sha256, outcome, kode_kecamatan, flag, count(*) AS n
        FROM (
            SELECT source_file, file_sha256, outcome, kode_kecamatan, unnest(flags) AS flag
            FROM rows WHERE outcome = 'loaded'
        )
        GROUP BY ALL
    )
    GROUP BY ALL
),
reason_counts AS (
    SELECT source_file, file_sha256, outcome, kode_kecamatan,
           map_from_entries(list({'key': reason, 'value': n} ORDER BY reason)) AS reject_reasons
    FROM (
        SELECT source_file, file_sha256, outcome, kode_kecamatan, reason, count(*) AS n
        FROM (
            SELECT source_file, file_sha256, outcome, kode_kecamatan, unnest(reasons) AS reason
            FROM rows WHERE outcome = 'rejected'
        )
        GROUP BY ALL
    )
    GROUP BY ALL
)
SELECT c.*, fc.flags, rc.reject_reasons
FROM counts AS c
LEFT JOIN flag_counts AS fc
  ON fc.source_file IS NOT DISTINCT FROM c.source_file
 AND fc.file_sha256 IS NOT DISTINCT FROM c.file_sha256 AND fc.outcome = c.outcome
 AND fc.kode_kecamatan IS NOT DISTINCT FROM c.kode_kecamatan
LEFT JOIN reason_counts AS rc
  ON rc.source_file IS NOT DISTINCT FROM c.source_file
 AND rc.file_sha256 IS NOT DISTINCT FROM c.file_sha256 AND rc.outcome = c.outcome
 AND rc.kode_kecamatan IS NOT DISTINCT FROM c.kode_kecamatan;
DROP TABLE quality_file_moved;
