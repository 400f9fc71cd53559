-- Which analyst edition the cache tables (edition_token, edition_name, edition_text)
-- were saved with: the next night writes only the rows that changed into a copy of
-- that edition (ppks.warehouse.edition_delta), and only if the published file is
-- still this one and was made under the same rules; otherwise it builds it whole.
CREATE TABLE IF NOT EXISTS edition_built (
    run_id    VARCHAR,
    built_at  TIMESTAMP NOT NULL,
    rules     VARCHAR NOT NULL,
    made      VARCHAR NOT NULL,
    whole_bytes BIGINT NOT NULL
);
COMMENT ON TABLE edition_built IS 'The analyst edition the night built last (one row): a night whose published edition is this one, made under the same rules, copies it and rewrites only the rows that changed; any other night builds the edition whole. Full warehouse only.';
COMMENT ON COLUMN edition_built.run_id IS 'edition_info.run_id of that edition: the run whose warehouse it was made from.';
COMMENT ON COLUMN edition_built.built_at IS 'edition_info.built_at of that edition: with run_id, which file it is.';
COMMENT ON COLUMN edition_built.rules IS 'Fingerprint of what the edition was made with (the edition code, the scrubber, the tables and comments it copies, the storage version, the golden-record rules): other rules build the edition whole.';
COMMENT ON COLUMN edition_built.made IS 'whole: every table written; changed rows: a copy of the previous edition with the rows that changed written again.';
COMMENT ON COLUMN edition_built.whole_bytes IS 'Size of the file the last whole build wrote: a copy grown past twice that (deleted rows leave space in the file) is built whole again, which compacts it.';
