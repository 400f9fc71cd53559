CREATE TABLE IF NOT EXISTS person_link (
    run_id             VARCHAR NOT NULL,
    record_id_l        BIGINT NOT NULL,
    record_id_r        BIGINT NOT NULL,
    person_id_l        VARCHAR,
    person_id_r        VARCHAR,
    match_weight       DOUBLE,
    match_probability  DOUBLE,
    status             VARCHAR NOT NULL,
    conflict           VARCHAR,
    blocking_rule      VARCHAR,
    agreement          MAP(VARCHAR, VARCHAR),
    weights            MAP(VARCHAR, DOUBLE)
);
COMMENT ON TABLE person_link IS 'Scored pairs of rows (match weight at least the review floor, plus every pair a reviewer decided): why rows were joined into one person, or kept apart. One row per pair (record_id_l, record_id_r); the pair is not declared a primary key, whose index over every pair ever scored each night would load into memory.';
COMMENT ON COLUMN person_link.run_id IS 'The run that scored the pair: a training run scores every pair again, other runs add the pairs of their new rows.';
COMMENT ON COLUMN person_link.record_id_l IS 'The smaller record_id of the pair (source_record).';
COMMENT ON COLUMN person_link.record_id_r IS 'The larger record_id of the pair (source_record).';
COMMENT ON COLUMN person_link.person_id_l IS 'The person the left row belongs to after this run.';
COMMENT ON COLUMN person_link.person_id_r IS 'The person the right row belongs to after this run.';
COMMENT ON COLUMN person_link.match_weight IS 'Fellegi-Sunter match weight (log2 Bayes factor, prior included); null for a pair only a reviewer decided.';
COMMENT ON COLUMN person_link.match_probability IS 'The match weight as a probability.';
COMMENT ON COLUMN person_link.status IS 'linked (this pair joined the two rows), same_person (already joined by stronger pairs), conflict (refused: the rows clearly differ, see conflict), review (uncertain band, not joined), not_linked (below the review band), reviewer_same, reviewer_different, reviewer_conflict (a reviewer said same, but another decision says different).';
COMMENT ON COLUMN person_link.conflict IS 'Why the join was refused: gender, name, birth_date, nasab, nik (two clean NIKs that each fit their row), one_report (two rows of one TKSK monthly report, which lists each person once), reviewer_different; comma-separated. May name a row of either group, not only this pair.';
COMMENT ON COLUMN person_link.blocking_rule IS 'Number of the first blocking rule that made the pair a candidate (docs/linkage.md).';
COMMENT ON COLUMN person_link.agreement IS 'Comparison -> level that applied: nik, nama, nasab, tanggal_lahir, jenis_kelamin, kk, wilayah (region and address together), tempat_lahir, jenis_ppks (the PPKS category), rumah_tangga (e.g. nik: first_15_digits, tanggal_lahir: swapped_or_typo, wilayah: desa_address_rt_rw, null = not known on one side).';
COMMENT ON COLUMN person_link.weights IS 'Comparison -> its part of the match weight (term-frequency adjustment included).';
