-- What the analyst edition keeps between nights (ppks.warehouse.edition_cache):
-- the words of every name the warehouse knows, as the scrubber reads them. The
-- set of names is also what the texts of edition_text were scrubbed against.
CREATE TABLE IF NOT EXISTS edition_name (
    name   VARCHAR NOT NULL,
    phrase VARCHAR[],
    tokens VARCHAR[] NOT NULL,
    rules  VARCHAR NOT NULL
);
COMMENT ON TABLE edition_name IS 'Cache of the analyst edition: every name the warehouse knows (nama, nama_inti, nasab, nama_raw of the loaded rows, nama of the persons, nama_raw of the rejected rows) with its words, so a night reads only new names. Exactly the names of the last edition built: the texts of edition_text were scrubbed against them. Full warehouse only.';
COMMENT ON COLUMN edition_name.name IS 'The name as the warehouse holds it.';
COMMENT ON COLUMN edition_name.phrase IS 'Its words (upper case) when the scrubber replaces the name as a whole wherever it appears (at most 8 words, 3 letters or more in all); else NULL.';
COMMENT ON COLUMN edition_name.tokens IS 'Its distinct words of 3 letters or more: replaced alone in the free text of the rows of a person with this name.';
COMMENT ON COLUMN edition_name.rules IS 'Fingerprint of the scrubber''s rules (ppks.warehouse.scrub) the row was made with: a row of other rules is made again, so a new version of the scrubber never reuses what an older one kept.';
