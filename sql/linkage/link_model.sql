CREATE TABLE IF NOT EXISTS link_model (
    model_version  INTEGER PRIMARY KEY,
    trained_run_id VARCHAR NOT NULL,
    trained_at     TIMESTAMP NOT NULL,
    reason         VARCHAR NOT NULL,
    rows_trained   BIGINT NOT NULL,
    trained        BOOLEAN NOT NULL,
    settings_json  VARCHAR NOT NULL,
    common_tokens  VARCHAR[] NOT NULL,
    rules_sha      VARCHAR NOT NULL,
    notes          VARCHAR,
    scoring_sql    VARCHAR
);
COMMENT ON TABLE link_model IS 'Every linkage model ever trained, newest last: nights score new rows with the newest one; a night trains a new one only when there is none, when asked (ppks nightly --retrain), when the linkage rules of the code changed, or when the rows grew by more than a third since training (docs/linkage.md).';
COMMENT ON COLUMN link_model.model_version IS 'Version of the model, 1 for the first; link_run.model_version says which one a night used.';
COMMENT ON COLUMN link_model.trained_run_id IS 'The run that trained the model (run_log.run_id).';
COMMENT ON COLUMN link_model.trained_at IS 'When the model was trained.';
COMMENT ON COLUMN link_model.reason IS 'Why that night trained: no model yet, retrain requested, the linkage rules of the code changed, rows grew by more than a third.';
COMMENT ON COLUMN link_model.rows_trained IS 'Rows the model was trained on (all loaded rows of that night).';
COMMENT ON COLUMN link_model.trained IS 'False when the rows were too few to train and the prior parameters were stored.';
COMMENT ON COLUMN link_model.settings_json IS 'The Splink model as JSON: comparisons with their trained m and u probabilities, lambda, blocking rules.';
COMMENT ON COLUMN link_model.common_tokens IS 'Name tokens counted as common (they say little about who someone is) when the model was trained; new rows are featurised with this same set.';
COMMENT ON COLUMN link_model.rules_sha IS 'Fingerprint of the code''s features, comparisons and blocking rules; a different fingerprint in the running code makes the night train again.';
COMMENT ON COLUMN link_model.notes IS 'Training notes: levels without estimates, fallbacks to priors.';
COMMENT ON COLUMN link_model.scoring_sql IS 'The statements Splink sent DuckDB to score pairs with this model, as JSON with the key of what shaped them (the model, the columns scored, Splink''s and DuckDB''s versions): later nights replay them instead of having Splink write them again; null or another key, Splink writes them (ppks/link/scoring_sql.py).';
