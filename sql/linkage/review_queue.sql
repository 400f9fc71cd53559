-- Pairs to review, side by side, strongest first: the model is unsure (status
-- review: match weight in the uncertain band REVIEW_WEIGHT <= w < LINK_WEIGHT,
-- rows in different persons), or the model is sure (weight >= the macro
-- conflict_review_weight(), which the linkage stage writes from
-- CONFLICT_REVIEW_WEIGHT in ppks/link/persons.py) but a conflict rule kept the rows apart.
-- A reviewer's decision on a pair takes it out of the queue (status reviewer_*).
CREATE OR REPLACE VIEW review_queue AS
SELECT
    k.match_weight,
    k.match_probability,
    k.status,
    k.conflict,
    k.agreement,
    k.person_id_l,
    k.person_id_r,
    a.source_file AS file_a, a.sheet AS sheet_a, a.row_number AS row_a,
    b.source_file AS file_b, b.sheet AS sheet_b, b.row_number AS row_b,
    a.nama AS nama_a, b.nama AS nama_b,
    a.nik AS nik_a, b.nik AS nik_b,
    a.kk AS kk_a, b.kk AS kk_b,
    a.jenis_kelamin AS jenis_kelamin_a, b.jenis_kelamin AS jenis_kelamin_b,
    coalesce(CAST(a.tanggal_lahir AS VARCHAR), CAST(a.tahun_lahir AS VARCHAR)) AS lahir_a,
    coalesce(CAST(b.tanggal_lahir AS VARCHAR), CAST(b.tahun_lahir AS VARCHAR)) AS lahir_b,
    a.alamat AS alamat_a, b.alamat AS alamat_b,
    a.kode_desa AS kode_desa_a, b.kode_desa AS kode_desa_b,
    k.record_id_l,
    k.record_id_r,
    k.run_id
FROM person_link AS k
JOIN source_record AS a ON a.record_id = k.record_id_l
JOIN source_record AS b ON b.record_id = k.record_id_r
WHERE k.status = 'review' OR (k.status = 'conflict' AND k.match_weight >= conflict_review_weight())
ORDER BY k.match_weight DESC, k.record_id_l, k.record_id_r;
COMMENT ON VIEW review_queue IS 'Uncertain pairs for a reviewer: same person or not? Decide in the review workbook (ppks.link.review); the next run applies the decision.';
COMMENT ON COLUMN review_queue.match_weight IS 'Match weight of the pair (log2 of the odds): 4 to 6 is uncertain, 20 and more is sure.';
COMMENT ON COLUMN review_queue.match_probability IS 'The same as a probability (0 to 1) that the two rows are one person.';
COMMENT ON COLUMN review_queue.status IS 'review (the model is unsure) or conflict (the model is sure, a rule kept the rows apart); see person_link.status.';
COMMENT ON COLUMN review_queue.conflict IS 'For status conflict: the rule that refused the join (see person_link.conflict).';
COMMENT ON COLUMN review_queue.agreement IS 'Comparison -> level that applied (see person_link.agreement).';
COMMENT ON COLUMN review_queue.person_id_l IS 'Person of row a now.';
COMMENT ON COLUMN review_queue.person_id_r IS 'Person of row b now.';
COMMENT ON COLUMN review_queue.file_a IS 'Row a: file name (with sheet_a and row_a it identifies the row in the review workbook).';
COMMENT ON COLUMN review_queue.sheet_a IS 'Row a: sheet name, empty for CSV.';
COMMENT ON COLUMN review_queue.row_a IS 'Row a: row number as Excel shows it.';
COMMENT ON COLUMN review_queue.file_b IS 'Row b: file name.';
COMMENT ON COLUMN review_queue.sheet_b IS 'Row b: sheet name, empty for CSV.';
COMMENT ON COLUMN review_queue.row_b IS 'Row b: row number as Excel shows it.';
COMMENT ON COLUMN review_queue.nama_a IS 'Row a: name, normalised.';
COMMENT ON COLUMN review_queue.nama_b IS 'Row b: name, normalised.';
COMMENT ON COLUMN review_queue.nik_a IS 'Row a: NIK as loaded (may be flagged as damaged).';
COMMENT ON COLUMN review_queue.nik_b IS 'Row b: NIK as loaded (may be flagged as damaged).';
COMMENT ON COLUMN review_queue.kk_a IS 'Row a: family-card number (No. KK).';
COMMENT ON COLUMN review_queue.kk_b IS 'Row b: family-card number (No. KK).';
COMMENT ON COLUMN review_queue.jenis_kelamin_a IS 'Row a: gender (L/P).';
COMMENT ON COLUMN review_queue.jenis_kelamin_b IS 'Row b: gender (L/P).';
COMMENT ON COLUMN review_queue.lahir_a IS 'Row a: birth date, else birth year, as text.';
COMMENT ON COLUMN review_queue.lahir_b IS 'Row b: birth date, else birth year, as text.';
COMMENT ON COLUMN review_queue.alamat_a IS 'Row a: address as written.';
COMMENT ON COLUMN review_queue.alamat_b IS 'Row b: address as written.';
COMMENT ON COLUMN review_queue.kode_desa_a IS 'Row a: desa/kelurahan code (Kemendagri), when resolved.';
COMMENT ON COLUMN review_queue.kode_desa_b IS 'Row b: desa/kelurahan code (Kemendagri), when resolved.';
COMMENT ON COLUMN review_queue.record_id_l IS 'Row a in source_record.';
COMMENT ON COLUMN review_queue.record_id_r IS 'Row b in source_record.';
COMMENT ON COLUMN review_queue.run_id IS 'The run that scored the pair.';
