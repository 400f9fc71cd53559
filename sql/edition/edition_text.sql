-- What the analyst edition keeps between nights (ppks.warehouse.edition_cache):
-- every free text it has scrubbed, so a night scrubs only new texts and those a
-- change in the known names can touch.
CREATE TABLE IF NOT EXISTS edition_text (
    text     VARCHAR NOT NULL,
    scrubbed VARCHAR NOT NULL,
    words    VARCHAR[] NOT NULL,
    loose    VARCHAR[] NOT NULL,
    rules    VARCHAR NOT NULL
);
COMMENT ON TABLE edition_text IS 'Cache of the analyst edition: every text it scrubs (file and sheet names, ids, free text) with the result, valid for the names of edition_name. A text is scrubbed again when a name that starts with one of its words comes or goes, and removed when the warehouse no longer holds it. Full warehouse only.';
COMMENT ON COLUMN edition_text.text IS 'The text as the warehouse holds it.';
COMMENT ON COLUMN edition_text.scrubbed IS 'The text as the analyst edition shows it: digit runs of 12 or more [nomor], the known names [nama].';
COMMENT ON COLUMN edition_text.words IS 'Its distinct words (upper case, after the digit runs are marked): a name starting with one of them can change the result.';
COMMENT ON COLUMN edition_text.loose IS 'Its distinct words of 3 letters or more not inside a known name: in a row of a person whose names have such a word, that word is [nama] too.';
COMMENT ON COLUMN edition_text.rules IS 'Fingerprint of the scrubber''s rules (ppks.warehouse.scrub) the row was made with: a row of other rules is made again, so a new version of the scrubber never reuses what an older one kept.';
