CREATE TABLE IF NOT EXISTS link_run (
    run_id              VARCHAR PRIMARY KEY,
    rows_linked         BIGINT NOT NULL,
    pairs_scored        BIGINT NOT NULL,
    links               BIGINT NOT NULL,
    conflicts           BIGINT NOT NULL,
    review_pairs        BIGINT NOT NULL,
    persons             BIGINT NOT NULL,
    persons_new         BIGINT NOT NULL,
    merges              BIGINT NOT NULL,
    splits              BIGINT NOT NULL,
    decisions_applied   BIGINT NOT NULL,
    link_weight         DOUBLE NOT NULL,
    review_weight       DOUBLE NOT NULL,
    trained             BOOLEAN NOT NULL,
    seconds             DOUBLE,
    model_json          VARCHAR NOT NULL,
    notes               VARCHAR
);
COMMENT ON TABLE link_run IS 'One row per linkage run: counts, thresholds and the exact model (Splink settings with trained m/u) that scored the pairs.';
COMMENT ON COLUMN link_run.link_weight IS 'Pairs at or above this match weight join rows into one person (unless a conflict refuses it).';
COMMENT ON COLUMN link_run.review_weight IS 'Pairs from this weight up to link_weight are uncertain: they go to the review queue.';
COMMENT ON COLUMN link_run.trained IS 'False when the night had too few rows to train and the prior parameters were used.';
COMMENT ON COLUMN link_run.model_json IS 'The Splink model as JSON (settings, m and u probabilities, lambda).';
COMMENT ON COLUMN link_run.notes IS 'Training notes: levels without estimates, fallbacks.';
