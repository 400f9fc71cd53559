CREATE TABLE IF NOT EXISTS link_feature (
    unique_id        BIGINT PRIMARY KEY,
    source_file      VARCHAR,
    sheet            VARCHAR,
    row_number       INTEGER,
    name_key         VARCHAR,
    name_tokens      VARCHAR[],
    name_spelled     VARCHAR[],
    name_core        VARCHAR,
    name_rarest      VARCHAR,
    nasab_key        VARCHAR,
    name_last        VARCHAR,
    nik              VARCHAR,
    nik_partial      VARCHAR,
    nik15            VARCHAR,
    nik_damaged      BOOLEAN,
    nik_disagrees    BOOLEAN,
    nik_head         VARCHAR,
    nik_tail         VARCHAR,
    kk               VARCHAR,
    kk15             VARCHAR,
    kk_damaged       BOOLEAN,
    gender_written   VARCHAR,
    gender           VARCHAR,
    dob              DATE,
    dob_written      DATE,
    year_written     INTEGER,
    dob_placeholder  BOOLEAN,
    dob_kind         VARCHAR,
    birth_year       BIGINT,
    year_approx      BOOLEAN,
    year_tolerance   INTEGER,
    written_tolerance INTEGER,
    kode_kabupaten   VARCHAR,
    kode_kecamatan   VARCHAR,
    kode_desa        VARCHAR,
    address_tokens   VARCHAR[],
    rt_rw            VARCHAR,
    tempat_lahir     VARCHAR,
    household_tokens VARCHAR[],
    no_fixed_home    BOOLEAN,
    ppks_kode        VARCHAR,
    report_list      VARCHAR
);
COMMENT ON TABLE link_feature IS 'Linkage features of every loaded row (ppks/link/features.py), computed once when the row arrives and kept, so that a night scores only its new rows against the stored ones. Holds identities: full warehouse only.';
COMMENT ON COLUMN link_feature.unique_id IS 'source_record.record_id of the row.';
COMMENT ON COLUMN link_feature.source_file IS 'File of the row (to resolve reviewer decisions, which name rows by file, sheet and row).';
COMMENT ON COLUMN link_feature.sheet IS 'Sheet of the row.';
COMMENT ON COLUMN link_feature.row_number IS 'Row number of the row in its sheet.';
COMMENT ON COLUMN link_feature.name_key IS 'The name without bin/binti part, old spelling modernised, Muhammad/Ahmad variants made one.';
COMMENT ON COLUMN link_feature.name_tokens IS 'The distinct tokens of name_key, sorted.';
COMMENT ON COLUMN link_feature.name_spelled IS 'The words of the name as written (letters, upper case), one per word of name_key, where the key spells any of them otherwise (old spelling, doubled letters, KH/CH as H); NULL where the key is the name as written.';
COMMENT ON COLUMN link_feature.name_core IS 'name_key without common tokens (link_model.common_tokens), in written order.';
COMMENT ON COLUMN link_feature.name_rarest IS 'The token of the name carried by the fewest rows when the row arrived (a blocking key).';
COMMENT ON COLUMN link_feature.nasab_key IS 'The bin/binti part (father''s name) as a name key.';
COMMENT ON COLUMN link_feature.name_last IS 'The last token of name_key (a blocking key within a desa).';
COMMENT ON COLUMN link_feature.nik IS 'The NIK as loaded.';
COMMENT ON COLUMN link_feature.nik_partial IS 'The digits of a NIK written with 15 or 17 digits (NULL in source_record.nik): partial evidence, one digit dropped or doubled.';
COMMENT ON COLUMN link_feature.nik15 IS 'The first 15 digits of the NIK (the 16th is lost when Excel stored it as a number).';
COMMENT ON COLUMN link_feature.nik_damaged IS 'The NIK was typed into a number cell: its last digit is unreliable.';
COMMENT ON COLUMN link_feature.nik_disagrees IS 'The NIK''s encoded birth date or gender contradicts the row.';
COMMENT ON COLUMN link_feature.nik_head IS 'NIK digits 1-8 (region and birth day/month): a blocking key.';
COMMENT ON COLUMN link_feature.nik_tail IS 'NIK digits 9-16 (birth year and serial): a blocking key.';
COMMENT ON COLUMN link_feature.kk IS 'The family card number (No. KK) as loaded.';
COMMENT ON COLUMN link_feature.kk15 IS 'The first 15 digits of the KK.';
COMMENT ON COLUMN link_feature.kk_damaged IS 'The KK was typed into a number cell.';
COMMENT ON COLUMN link_feature.gender_written IS 'Gender as the row wrote it (L/P).';
COMMENT ON COLUMN link_feature.gender IS 'Gender as written, else as the NIK encodes it.';
COMMENT ON COLUMN link_feature.dob IS 'Birth date as written, else as the NIK encodes it when it fits the birth year.';
COMMENT ON COLUMN link_feature.dob_written IS 'Birth date as the row wrote it.';
COMMENT ON COLUMN link_feature.year_written IS 'Birth year as the row gave it (from the date or from the age).';
COMMENT ON COLUMN link_feature.dob_placeholder IS 'The birth date is a placeholder (01-01, 01-07, ...).';
COMMENT ON COLUMN link_feature.dob_kind IS 'What is known of the birth date: full, estimated (a placeholder with an estimated year), age (from Umur), year, or null.';
COMMENT ON COLUMN link_feature.birth_year IS 'Birth year: written, else from the NIK.';
COMMENT ON COLUMN link_feature.year_approx IS 'The birth year comes from an age (Umur), not from a date.';
COMMENT ON COLUMN link_feature.year_tolerance IS 'Years by which two reports of this person may differ in birth_year (0 full date, 1 age, 3 estimated).';
COMMENT ON COLUMN link_feature.written_tolerance IS 'Years by which the year the row itself wrote may be off, for the conflict rules, which ignore NIK dates (0 full date, 1 a child''s age, 3 a child''s estimate, 5 an adult''s year without a day: a guess).';
COMMENT ON COLUMN link_feature.kode_kabupaten IS 'Kemendagri code of the row''s kabupaten/kota.';
COMMENT ON COLUMN link_feature.kode_kecamatan IS 'Kemendagri code of the row''s kecamatan.';
COMMENT ON COLUMN link_feature.kode_desa IS 'Kemendagri code of the row''s desa/kelurahan.';
COMMENT ON COLUMN link_feature.address_tokens IS 'Words of the address, without dusun/jalan/RT/RW words and numbers.';
COMMENT ON COLUMN link_feature.rt_rw IS 'RT/RW without leading zeros, e.g. 3/2.';
COMMENT ON COLUMN link_feature.tempat_lahir IS 'Place of birth as written, letters only, upper case.';
COMMENT ON COLUMN link_feature.household_tokens IS 'Uncommon name tokens of the other rows of the same file and sheet that share the KK or, without one, the desa, address and RT/RW (at most 7 other names): the household the row was listed with.';
COMMENT ON COLUMN link_feature.no_fixed_home IS 'The address names a public place where the person was found (terminal, station, market eaves, under a bridge) or says no fixed address, and the row has no RT/RW: a homeless person, reported wherever found (features.NO_FIXED_HOME_WORDS).';
COMMENT ON COLUMN link_feature.ppks_kode IS 'The PPKS category the row reports (PPKS-01 to PPKS-26): the condition the person is reported for.';
COMMENT ON COLUMN link_feature.report_list IS 'The TKSK monthly report (file content hash, file, sheet) that lists the row, NULL for other sources: a report lists each person it handled once, so two rows of one report are two people (cluster.conflict, one_report).';
