-- Rows of files that a corrected file replaced (ingest_file.status = 'superseded'),
-- and SLRT rows that a corrected export replaced (ppks.warehouse.supersede_rows).
-- Same columns as source_record, plus when and by what the file was replaced.
-- Columns added to source_record later are added here by ppks.warehouse.supersede.
CREATE TABLE IF NOT EXISTS source_record_history AS
SELECT *,
       NULL::VARCHAR   AS superseded_by,
       NULL::VARCHAR   AS superseded_by_sha256,
       NULL::VARCHAR   AS superseded_run_id,
       NULL::TIMESTAMP AS superseded_at,
       NULL::VARCHAR   AS superseded_reason,
       NULL::BIGINT    AS superseded_by_record_id
FROM source_record WHERE false;
-- A warehouse made before these two columns gets them here.
ALTER TABLE source_record_history ADD COLUMN IF NOT EXISTS superseded_reason VARCHAR;
ALTER TABLE source_record_history ADD COLUMN IF NOT EXISTS superseded_by_record_id BIGINT;
COMMENT ON TABLE source_record_history IS 'Loaded rows of files replaced by a corrected file (same TKSK kecamatan and month, or same PSM desa), and SLRT rows replaced by a corrected export of the same id_layanan: no longer in source_record, kept here for history.';
COMMENT ON COLUMN source_record_history.superseded_by IS 'Name of the corrected file that replaced this row''s file.';
COMMENT ON COLUMN source_record_history.superseded_by_sha256 IS 'SHA-256 of the corrected file.';
COMMENT ON COLUMN source_record_history.superseded_run_id IS 'The run that found the correction and moved the row here.';
COMMENT ON COLUMN source_record_history.superseded_at IS 'When the row was moved here.';
COMMENT ON COLUMN source_record_history.superseded_reason IS 'Why the row left source_record: its file was replaced by a corrected file, or (SLRT) a corrected export has another row for the same id_layanan, with the values corrected named.';
COMMENT ON COLUMN source_record_history.superseded_by_record_id IS 'SLRT: the row of the corrected export that replaced this one (source_record.record_id); null when the whole file was replaced.';
