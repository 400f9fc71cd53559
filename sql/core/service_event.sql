-- Core: SLRT services and referrals. A re-export of SLRT repeats an event with
-- the same id_layanan, possibly with a newer status: one row per id_layanan,
-- taking the most advanced status (Selesai/Ditolak over Diproses over Diajukan),
-- then the row of the file loaded last.
CREATE OR REPLACE TABLE service_event AS
WITH rows AS (
    SELECT
        r.*,
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
    WHERE r.source = 'slrt' AND r.id_layanan IS NOT NULL
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
JOIN source_record AS r ON r.record_id = e.record_id
ORDER BY e.id_layanan;
COMMENT ON TABLE service_event IS 'Core. One row per SLRT service event (id_layanan): the complaint, the programme it was referred to and the status of the referral. Events exported several times appear once, with their most advanced status.';
COMMENT ON COLUMN service_event.id_layanan IS 'SLRT service event id.';
COMMENT ON COLUMN service_event.person_id IS 'The person served (see person).';
COMMENT ON COLUMN service_event.ppks_kode IS 'PPKS category recorded with the service (see ppks_category).';
COMMENT ON COLUMN service_event.tanggal_layanan IS 'Date of the service (SLRT tanggal_layanan).';
COMMENT ON COLUMN service_event.bulan IS 'Month of the service (first day of the month).';
COMMENT ON COLUMN service_event.jenis_keluhan IS 'The complaint as recorded by SLRT (e.g. Tidak mampu berobat).';
COMMENT ON COLUMN service_event.program_rujukan IS 'Programme the person was referred to (PKH, BPNT, PBI-JK, ATENSI, ...); null when there was no referral.';
COMMENT ON COLUMN service_event.is_rujukan IS 'True when the service led to a referral to a programme.';
COMMENT ON COLUMN service_event.status_rujukan IS 'Status of the referral as last known: Diajukan (submitted), Diproses (in process), Selesai (done) or Ditolak (refused).';
COMMENT ON COLUMN service_event.status_group IS 'open (Diajukan, Diproses), closed (Selesai, Ditolak) or unknown (no status).';
COMMENT ON COLUMN service_event.statuses_seen IS 'Every status this event had across the exports that carried it.';
COMMENT ON COLUMN service_event.petugas IS 'SLRT officer who recorded the service (full warehouse only).';
COMMENT ON COLUMN service_event.kode_kabupaten IS 'Kabupaten/kota of the service row.';
COMMENT ON COLUMN service_event.kode_kecamatan IS 'Kecamatan of the service row.';
COMMENT ON COLUMN service_event.kode_desa IS 'Desa/kelurahan of the service row; null when unresolved.';
COMMENT ON COLUMN service_event.exports IS 'How many loaded rows (exports) carried this event.';
COMMENT ON COLUMN service_event.record_id IS 'The row the status and values were taken from (source_record.record_id).';
COMMENT ON COLUMN service_event.record_ids IS 'Every row that carried this event (source_record.record_id).';
COMMENT ON COLUMN service_event.source_file IS 'File of the row the values were taken from.';
