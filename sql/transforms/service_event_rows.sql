-- Fills core/service_event.sql's table for the events (id_layanan) whose rows
-- changed. A row that arrived, moved or left changed its person's rows
-- (person_touched), so the events touched are those of the rows of these
-- persons now (and of rows no linkage placed), of the events they were the person of, and of the rows they lost
-- to a corrected file or export (source_record_history keeps its person).
-- A re-export of SLRT repeats an event with the same id_layanan, possibly with a
-- newer status: one row per id_layanan, taking the most advanced status
-- (Selesai/Ditolak over Diproses over Diajukan), then the row of the file loaded last.
CREATE OR REPLACE TEMP TABLE service_touched AS
SELECT id_layanan FROM source_record
WHERE source = 'slrt' AND id_layanan IS NOT NULL
  AND (person_id IN (SELECT person_id FROM person_touched) OR person_id IS NULL)
UNION
SELECT id_layanan FROM service_event WHERE person_id IN (SELECT person_id FROM person_touched)
UNION
SELECT id_layanan FROM source_record_history
WHERE source = 'slrt' AND id_layanan IS NOT NULL
  AND person_id IN (SELECT person_id FROM person_touched);
DELETE FROM service_event WHERE id_layanan IN (SELECT id_layanan FROM service_touched);
INSERT INTO service_event
WITH rows AS (
    SELECT
        r.record_id,
        r.id_layanan,
        r.status_rujukan,
        f.ingested_at,
        CASE lower(trim(r.status_rujukan))
            WHEN 'selesai' THEN 3
            WHEN 'ditolak' THEN 3
            WHEN 'diproses' THEN 2
            WHEN 'diajukan' THEN 1
            ELSE 0
        END AS status_rank
    FROM source_record AS r
    LEFT JOIN ingest_file AS f ON f.source_file = r.source_file AND f.sha256 = r.file_sha256
    WHERE r.source = 'slrt' AND r.id_layanan IN (SELECT id_layanan FROM service_touched)
),
events AS (
    SELECT
        id_layanan,
        arg_max(record_id, (status_rank, ingested_at, record_id)) AS record_id,
        count(*) AS exports,
        list(record_id ORDER BY record_id) AS record_ids,
        list_sort(list_distinct(list(status_rujukan))) AS statuses_seen
    FROM rows
    GROUP BY id_layanan
)
SELECT
    e.id_layanan,
    r.person_id,
    r.ppks_kode,
    r.tanggal_kegiatan AS tanggal_layanan,
    CAST(date_trunc('month', coalesce(r.tanggal_kegiatan, r.bulan_laporan)) AS DATE) AS bulan,
    r.jenis_keluhan,
    r.program_rujukan,
    r.program_rujukan IS NOT NULL AND trim(r.program_rujukan) <> '' AS is_rujukan,
    r.status_rujukan,
    CASE
        WHEN lower(trim(r.status_rujukan)) IN ('selesai', 'ditolak') THEN 'closed'
        WHEN r.status_rujukan IS NULL THEN 'unknown'
        ELSE 'open'
    END AS status_group,
    e.statuses_seen,
    r.petugas,
    r.kode_kabupaten,
    r.kode_kecamatan,
    r.kode_desa,
    e.exports,
    e.record_id,
    e.record_ids,
    r.source_file
FROM events AS e
JOIN source_record AS r ON r.record_id = e.record_id;
DROP TABLE service_touched;
