-- Column comments of person_id_history (sql/01_tables/person_id_history.sql, created by the linkage stage).
COMMENT ON COLUMN person_id_history.recorded_at IS 'When the change was recorded (local time of the run).';
