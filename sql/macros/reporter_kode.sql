-- The reporter of a file, as a region code: the PSM of its desa for a PSM list
-- (its kecamatan when the desa is not known), else the TKSK or SLRT operator of its
-- kecamatan (ingest_file.kode_kecamatan, the one kecamatan of a file). Written once for
-- mart_quality_reporter and for the night's list of the reporters whose row of it is
-- written again (transforms/quality_file_rows.sql). Temporary: a helper of the load step.
CREATE OR REPLACE TEMP MACRO reporter_kode(source, kode_desa, kode_kecamatan) AS
    CASE WHEN source = 'psm' THEN coalesce(kode_desa, kode_kecamatan) ELSE kode_kecamatan END;
