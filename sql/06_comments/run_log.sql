-- Column comments of run_log (table defined in sql/01_tables/run_log.sql).
COMMENT ON COLUMN run_log.run_id IS 'Identifier of the run: start time and a random suffix; rows name the run that loaded them.';
COMMENT ON COLUMN run_log.started_at IS 'When the run started.';
COMMENT ON COLUMN run_log.finished_at IS 'When the run finished writing the warehouse.';
COMMENT ON COLUMN run_log.status IS 'Always completed: a run that failed left no trace.';
COMMENT ON COLUMN run_log.inbox IS 'The inbox folder the run read.';
COMMENT ON COLUMN run_log.files_seen IS 'Files found in the inbox''s source folders.';
COMMENT ON COLUMN run_log.files_loaded IS 'Files loaded by this run.';
COMMENT ON COLUMN run_log.files_rejected IS 'Files rejected whole by this run.';
COMMENT ON COLUMN run_log.files_duplicate IS 'Files recognised as a copy of a loaded file.';
COMMENT ON COLUMN run_log.files_skipped IS 'Files already in the warehouse from an earlier run (same name and content).';
COMMENT ON COLUMN run_log.rows_loaded IS 'Rows loaded by this run.';
COMMENT ON COLUMN run_log.rows_rejected IS 'Rows rejected by this run.';
COMMENT ON COLUMN run_log.persons IS 'Persons in the warehouse after the run.';
COMMENT ON COLUMN run_log.counts_json IS 'All counts of the run as JSON (per source, per reason).';
