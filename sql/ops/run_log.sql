-- One row per nightly run that completed (a failed run leaves no trace here:
-- it changed nothing).
CREATE TABLE IF NOT EXISTS run_log (
    run_id            VARCHAR PRIMARY KEY,
    started_at        TIMESTAMP NOT NULL,
    finished_at       TIMESTAMP NOT NULL,
    status            VARCHAR NOT NULL,
    inbox             VARCHAR,
    files_seen        INTEGER,
    files_loaded      INTEGER,
    files_rejected    INTEGER,
    files_duplicate   INTEGER,
    files_skipped     INTEGER,
    rows_loaded       BIGINT,
    rows_rejected     BIGINT,
    persons           BIGINT,
    counts_json       VARCHAR,
    link_mode         VARCHAR,
    stage_seconds     VARCHAR,
    peak_memory_mb    DOUBLE,
    peak_worker_memory_mb DOUBLE,
    published_at      TIMESTAMP
);
-- A warehouse made before these columns: add them (in the order above).
ALTER TABLE run_log ADD COLUMN IF NOT EXISTS link_mode VARCHAR;
ALTER TABLE run_log ADD COLUMN IF NOT EXISTS stage_seconds VARCHAR;
ALTER TABLE run_log ADD COLUMN IF NOT EXISTS peak_memory_mb DOUBLE;
ALTER TABLE run_log ADD COLUMN IF NOT EXISTS peak_worker_memory_mb DOUBLE;
ALTER TABLE run_log ADD COLUMN IF NOT EXISTS published_at TIMESTAMP;
COMMENT ON TABLE run_log IS 'One row per completed nightly run: when, what it saw and what it loaded.';
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
COMMENT ON COLUMN run_log.link_mode IS 'How linkage went this night: full (trained, every row linked again), incremental (only the new rows scored), none (nothing new); see link_run.';
COMMENT ON COLUMN run_log.stage_seconds IS 'Wall seconds of each stage as JSON (prepare, read, load, link, model, record, edition, publish, reports). The stages after the swap are filled in by the next night, which also sets published_at.';
COMMENT ON COLUMN run_log.peak_memory_mb IS 'Peak resident memory of the run''s own process in MB (up to the swap; the next night replaces it with the peak of the whole run).';
COMMENT ON COLUMN run_log.peak_worker_memory_mb IS 'Peak resident memory of the largest worker process the run started (readers, the temporary Prefect server), in MB.';
COMMENT ON COLUMN run_log.published_at IS 'When the run''s warehouse was swapped in and its reports written; filled in by the next night (the published file is never written after the swap).';
