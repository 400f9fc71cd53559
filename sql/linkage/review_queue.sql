-- Pairs to review, side by side, strongest first: the model is unsure (status
-- review: match weight in the band 4 <= w < 6, rows in different persons), or
-- the model is sure (weight >= 20) but a conflict rule kept the rows apart.
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
WHERE k.status = 'review' OR (k.status = 'conflict' AND k.match_weight >= 20)
ORDER BY k.match_weight DESC, k.record_id_l, k.record_id_r;
COMMENT ON VIEW review_queue IS 'Uncertain pairs for a reviewer: same person or not? Decide in the review workbook (ppks.link.review); the next run applies the decision.';
