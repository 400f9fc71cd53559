-- Every data row the warehouse holds, loaded (source_record) or rejected
-- (rejected_row), with the problem groups the quality marts count: written
-- once for mart_quality_kecamatan and mart_quality_reporter. A loaded row has
-- its own kecamatan; a rejected row's place may be unknown, so the marts take
-- the kecamatan of its file (ingest_file.kode_kecamatan, the one definition).
-- A TEMP view, not stored in the warehouse: the quality marts' counts are kept by
-- file (core/quality_file_count.sql), so the model stage makes it before the
-- transforms (ppks.warehouse.write_steps). row_hash tells rows apart: a file's
-- rows fingerprinted, to find the files whose rows came or left.
CREATE OR REPLACE TEMP VIEW int_data_row AS
WITH rows AS (
    SELECT source_file, file_sha256, kode_kecamatan, person_id, 'loaded' AS outcome,
           flags, CAST(NULL AS VARCHAR[]) AS reasons, hash(record_id) AS row_hash
    FROM source_record
    UNION ALL
    SELECT source_file, file_sha256, NULL, NULL, 'rejected', flags, reasons,
           hash(run_id, sheet, row_number)
    FROM rejected_row
)
SELECT
    *,
    outcome = 'loaded' AND len(flags) > 0 AS flagged,
    outcome = 'loaded'
        AND list_has_any(flags, ['nik_missing', 'nik_malformed', 'nik_excel_damaged', 'nik_invalid_date'])
        AS nik_problem,
    outcome = 'loaded'
        AND list_has_any(flags, ['dob_missing', 'dob_unparseable', 'dob_placeholder', 'dob_implausible'])
        AS dob_problem
FROM rows;
