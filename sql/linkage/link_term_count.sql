CREATE TABLE IF NOT EXISTS link_term_count (
    term   VARCHAR NOT NULL,
    value  VARCHAR NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (term, value)
);
COMMENT ON TABLE link_term_count IS 'How many loaded rows carry each value of the term-frequency columns (a common name or a placeholder birth date weighs less when it agrees) and each name token (the rarest token of a name is a blocking key). Kept up to date by adding each night''s rows.';
COMMENT ON COLUMN link_term_count.term IS 'name_key (the compared name), dob (birth date, as YYYY-MM-DD) or name_token (one token of a name key).';
COMMENT ON COLUMN link_term_count.value IS 'The value counted.';
COMMENT ON COLUMN link_term_count.n IS 'Loaded rows (source_record) that carry the value.';
