-- Column comments of person_identity (sql/01_tables/person_identity.sql, created by the linkage stage).
COMMENT ON COLUMN person_identity.person_id IS 'The id, as found in person.person_id and source_record.person_id while active.';
