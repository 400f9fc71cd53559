-- The most frequent value of a histogram(); ties go to the smallest value, so the
-- result never depends on the order rows were scanned in.
-- Temporary: a helper of the load step, not part of the analysts' catalog.
CREATE OR REPLACE TEMP MACRO most_frequent(h) AS
    list_sort(list_transform(map_entries(h), lambda e: {'n': -CAST(e.value AS BIGINT), 'k': e.key}))[1].k;
