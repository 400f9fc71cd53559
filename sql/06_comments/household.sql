-- Column comments of the view household (defined in sql/03_views/household.sql,
-- which the linkage step re-creates every run; these comments follow it).
COMMENT ON COLUMN household.kk IS 'Family-card number (No. KK) of the persons'' golden records.';
COMMENT ON COLUMN household.persons IS 'Persons in the warehouse on this card.';
COMMENT ON COLUMN household.person_ids IS 'Their person_id, oldest first (see household_member for one row per person).';
COMMENT ON COLUMN household.names IS 'Their names, in the same order. Full warehouse only.';
COMMENT ON COLUMN household.kode_desa IS 'Desa/kelurahan of the household (the smallest code among its members).';
