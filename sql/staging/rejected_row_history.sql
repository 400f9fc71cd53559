-- Rejected rows of files that a corrected file replaced; see source_record_history.
CREATE TABLE IF NOT EXISTS rejected_row_history AS
SELECT *,
       NULL::VARCHAR   AS superseded_by,
       NULL::VARCHAR   AS superseded_by_sha256,
       NULL::VARCHAR   AS superseded_run_id,
       NULL::TIMESTAMP AS superseded_at,
       NULL::VARCHAR   AS superseded_reason
FROM rejected_row WHERE false;
-- A warehouse made before this column gets it here.
ALTER TABLE rejected_row_history ADD COLUMN IF NOT EXISTS superseded_reason VARCHAR;
COMMENT ON TABLE rejected_row_history IS 'Rejected rows of files replaced by a corrected file: no longer in rejected_row, kept here for history.';
COMMENT ON COLUMN rejected_row_history.superseded_by IS 'Name of the corrected file that replaced this row''s file.';
COMMENT ON COLUMN rejected_row_history.superseded_by_sha256 IS 'SHA-256 of the corrected file.';
COMMENT ON COLUMN rejected_row_history.superseded_run_id IS 'The run that found the correction and moved the row here.';
COMMENT ON COLUMN rejected_row_history.superseded_at IS 'When the row was moved here.';
COMMENT ON COLUMN rejected_row_history.superseded_reason IS 'Why the row left rejected_row: its file was replaced by a corrected file.';
