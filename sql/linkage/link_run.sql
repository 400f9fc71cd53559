CREATE TABLE IF NOT EXISTS link_run (
    run_id              VARCHAR PRIMARY KEY,
    mode                VARCHAR NOT NULL,
    model_version       INTEGER,
    rows_linked         BIGINT NOT NULL,
    rows_new            BIGINT NOT NULL,
    rows_removed        BIGINT NOT NULL,
    pairs_scored        BIGINT NOT NULL,
    links               BIGINT NOT NULL,
    conflicts           BIGINT NOT NULL,
    review_pairs        BIGINT NOT NULL,
    persons             BIGINT NOT NULL,
    persons_touched     BIGINT NOT NULL,
    persons_new         BIGINT NOT NULL,
    merges              BIGINT NOT NULL,
    splits              BIGINT NOT NULL,
    retired             BIGINT NOT NULL,
    rows_moved          BIGINT NOT NULL,
    decisions_applied   BIGINT NOT NULL,
    link_weight         DOUBLE NOT NULL,
    review_weight       DOUBLE NOT NULL,
    trained             BOOLEAN NOT NULL,
    seconds             DOUBLE,
    notes               VARCHAR
);
COMMENT ON TABLE link_run IS 'One row per night: how linkage went (trained and linked every row, scored only the new rows, or nothing to do), with its counts and the model it used (link_model).';
COMMENT ON COLUMN link_run.run_id IS 'The run (run_log.run_id).';
COMMENT ON COLUMN link_run.mode IS 'full: a model was trained and every row linked again (first night, retrain; see link_model.reason); incremental: only pairs with at least one new row were scored and only the persons they touch clustered; none: no new row, no removed row, no new reviewer decision: nothing linked.';
COMMENT ON COLUMN link_run.model_version IS 'The link_model version that scored the pairs.';
COMMENT ON COLUMN link_run.rows_linked IS 'Rows in source_record after the night.';
COMMENT ON COLUMN link_run.rows_new IS 'Rows linked for the first time this night.';
COMMENT ON COLUMN link_run.rows_removed IS 'Rows that left source_record this night (their file was replaced by a corrected one).';
COMMENT ON COLUMN link_run.pairs_scored IS 'Pairs scored this night (at least the review floor), all pairs on a full night.';
COMMENT ON COLUMN link_run.links IS 'Pairs of this night that joined two groups of rows.';
COMMENT ON COLUMN link_run.conflicts IS 'Pairs of this night refused by a conflict rule.';
COMMENT ON COLUMN link_run.review_pairs IS 'Pairs of this night sent to review (uncertain band, two established persons, or a sure pair a conflict refused).';
COMMENT ON COLUMN link_run.persons IS 'Active persons after the night.';
COMMENT ON COLUMN link_run.persons_touched IS 'Persons of earlier nights whose rows were clustered again with the new rows (all persons on a full night).';
COMMENT ON COLUMN link_run.persons_new IS 'Person ids created this night.';
COMMENT ON COLUMN link_run.merges IS 'Ids retired into another this night (person_id_history reason merge).';
COMMENT ON COLUMN link_run.splits IS 'Moves of rows from an id to another this night (person_id_history reason split).';
COMMENT ON COLUMN link_run.retired IS 'Ids retired this night without successor: all their rows left the warehouse.';
COMMENT ON COLUMN link_run.rows_moved IS 'Rows loaded on earlier nights whose person_id changed this night.';
COMMENT ON COLUMN link_run.decisions_applied IS 'Reviewer decisions applied (all decisions in the file that name loaded rows).';
COMMENT ON COLUMN link_run.link_weight IS 'Pairs at or above this match weight join rows into one person (unless a conflict refuses it).';
COMMENT ON COLUMN link_run.review_weight IS 'Pairs from this weight up to link_weight are uncertain: they go to the review queue.';
COMMENT ON COLUMN link_run.trained IS 'True when this night trained the model it used.';
COMMENT ON COLUMN link_run.seconds IS 'Wall time of linkage this night.';
COMMENT ON COLUMN link_run.notes IS 'Why the night trained, training notes, fallbacks.';
