-- PPKS persons per 1,000 inhabitants, 4 decimals; null when the population is
-- unknown or 0. The one formula of every per_1000 column (mart_ppks_region,
-- mart_ppks_monthly). Temporary: a helper of the load step.
CREATE OR REPLACE TEMP MACRO per_1000(persons, population) AS
    round(1000.0 * persons / nullif(population, 0), 4);
