-- Core: SLRT services and referrals, one row per id_layanan. Filled by
-- transforms/service_event_rows.sql for the events whose rows changed.
CREATE TABLE IF NOT EXISTS service_event (
    id_layanan       VARCHAR,
    person_id        VARCHAR,
    ppks_kode        VARCHAR,
    tanggal_layanan  DATE,
    bulan            DATE,
    jenis_keluhan    VARCHAR,
    program_rujukan  VARCHAR,
    is_rujukan       BOOLEAN,
    status_rujukan   VARCHAR,
    status_group     VARCHAR,
    statuses_seen    VARCHAR[],
    petugas          VARCHAR,
    kode_kabupaten   VARCHAR,
    kode_kecamatan   VARCHAR,
    kode_desa        VARCHAR,
    exports          BIGINT,
    record_id        BIGINT,
    record_ids       BIGINT[],
    source_file      VARCHAR
);
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
