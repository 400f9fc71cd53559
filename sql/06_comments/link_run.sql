-- Column comments of link_run (sql/01_tables/link_run.sql, created by the linkage stage).
COMMENT ON COLUMN link_run.run_id IS 'The nightly run (run_log.run_id) whose linkage this row describes.';
COMMENT ON COLUMN link_run.rows_linked IS 'Rows of source_record that took part in linkage.';
COMMENT ON COLUMN link_run.pairs_scored IS 'Candidate pairs of rows scored by the model (after blocking).';
COMMENT ON COLUMN link_run.links IS 'Pairs at or above link_weight that joined two rows into one person.';
COMMENT ON COLUMN link_run.conflicts IS 'Pairs the model would have joined but a conflict rule refused (see person_link.conflict).';
COMMENT ON COLUMN link_run.review_pairs IS 'Pairs sent to the review queue (uncertain band, or sure but refused by a rule).';
COMMENT ON COLUMN link_run.persons IS 'Persons (active person_id) after this run.';
COMMENT ON COLUMN link_run.persons_new IS 'Of those, persons whose id this run created.';
COMMENT ON COLUMN link_run.merges IS 'Ids retired by this run because their rows joined an older person (person_id_history, reason merge).';
COMMENT ON COLUMN link_run.splits IS 'Persons this run split because their rows no longer belong together (person_id_history, reason split).';
COMMENT ON COLUMN link_run.decisions_applied IS 'Reviewer decisions (review_decision) applied over the model in this run.';
COMMENT ON COLUMN link_run.seconds IS 'Wall-clock seconds the linkage took.';
