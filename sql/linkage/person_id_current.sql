-- Any person_id ever handed out -> the id that stands for that person now,
-- following merges (a retired id points to its successor, maybe several times).
CREATE OR REPLACE VIEW person_id_current AS
WITH RECURSIVE chain(saved_id, current_id, steps) AS (
    SELECT person_id, person_id, 0 FROM person_identity
    UNION ALL
    SELECT c.saved_id, i.successor_id, c.steps + 1
    FROM chain AS c
    JOIN person_identity AS i ON i.person_id = c.current_id
    WHERE i.status = 'retired' AND i.successor_id IS NOT NULL AND c.steps < 100
)
SELECT saved_id, arg_max(current_id, steps) AS current_id, max(steps) AS merges_followed
FROM chain
GROUP BY saved_id;
COMMENT ON VIEW person_id_current IS 'Resolve a saved person_id to the current one: join on saved_id (ids retired by a merge lead to the surviving id).';
COMMENT ON COLUMN person_id_current.saved_id IS 'Any person_id ever handed out (e.g. one saved in a report or a spreadsheet).';
COMMENT ON COLUMN person_id_current.current_id IS 'The id that stands for that person now (the same id when it was never merged).';
COMMENT ON COLUMN person_id_current.merges_followed IS 'How many merges lie between saved_id and current_id (0: still current).';
