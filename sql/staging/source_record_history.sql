-- Rows of files that a corrected file replaced (ingest_file.status = 'superseded').
-- Same columns as source_record, plus when and by what the file was replaced.
-- Columns added to source_record later are added here by ppks.warehouse.supersede.
CREATE TABLE IF NOT EXISTS source_record_history AS
SELECT *,
       NULL::VARCHAR   AS superseded_by,
       NULL::VARCHAR   AS superseded_by_sha256,
       NULL::VARCHAR   AS superseded_run_id,
       NULL::TIMESTAMP AS superseded_at
FROM source_record WHERE false;
COMMENT ON TABLE source_record_history IS 'Loaded rows of files replaced by a corrected file (same TKSK kecamatan and month, or same PSM desa): no longer in source_record, kept here for history.';
COMMENT ON COLUMN source_record_history.superseded_by IS 'Name of the corrected file that replaced this row''s file.';
COMMENT ON COLUMN source_record_history.superseded_by_sha256 IS 'SHA-256 of the corrected file.';
COMMENT ON COLUMN source_record_history.superseded_run_id IS 'The run that found the correction and moved the row here.';
COMMENT ON COLUMN source_record_history.superseded_at IS 'When the row was moved here.';
