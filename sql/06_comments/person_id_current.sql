-- Column comments of the view person_id_current (sql/03_views/person_id_current.sql,
-- re-created by every run; these comments follow it).
COMMENT ON COLUMN person_id_current.saved_id IS 'Any person_id ever handed out (e.g. one saved in a report or a spreadsheet).';
COMMENT ON COLUMN person_id_current.current_id IS 'The id that stands for that person now (the same id when it was never merged).';
COMMENT ON COLUMN person_id_current.merges_followed IS 'How many merges lie between saved_id and current_id (0: still current).';
