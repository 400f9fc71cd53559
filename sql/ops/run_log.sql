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
    counts_json       VARCHAR
);
COMMENT ON TABLE run_log IS 'One row per completed nightly run: when, what it saw and what it loaded.';
