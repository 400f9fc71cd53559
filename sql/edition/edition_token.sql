-- What the analyst edition keeps between nights (ppks.warehouse.edition_cache):
-- the keyed hash of every NIK and KK it has published, so a night hashes only
-- the values that are new. Full warehouse only: it holds the NIK and KK in clear.
CREATE TABLE IF NOT EXISTS edition_token (
    kind      VARCHAR NOT NULL,
    value     VARCHAR NOT NULL,
    token     VARCHAR NOT NULL,
    key_check VARCHAR NOT NULL
);
COMMENT ON TABLE edition_token IS 'Cache of the analyst edition: the token of every NIK and KK of the warehouse, kept so a night hashes only new values. Values no longer in the warehouse are removed by the next edition; a changed key empties it. Full warehouse only (holds NIK and KK in clear).';
COMMENT ON COLUMN edition_token.kind IS 'nik or kk: which hash the token is (the kind is part of the hashed text).';
COMMENT ON COLUMN edition_token.value IS 'The NIK or KK as the warehouse holds it.';
COMMENT ON COLUMN edition_token.token IS 'Its token in the analyst edition (nik_token, kk_token).';
COMMENT ON COLUMN edition_token.key_check IS 'Keyed check of the key and of the way of hashing the token was made with (an HMAC, not the key): a token of another key or of another version of the hashing is never reused.';
