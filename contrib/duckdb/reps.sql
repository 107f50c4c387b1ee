-- vmnetrank's repetition rows (reps.csv's file, rep, ops, failed_ops,
-- wall_us, busy_us, bytes, op_mean_us, op_p50_us, op_p99_us, start_us) in
-- SQL, which `vmnetrank stats REPS.csv` reads back (README, "Repetition
-- rows from another engine"), for
-- DuckDB (or any engine with GROUP BY ALL, COLUMNS and quantile_cont:
-- Spark SQL has percentile for the last).
--
-- Input: a view or table `samples` with samples.csv's columns (README,
-- "samples.csv"): the label columns, workload, direction, rep, start_us,
-- end_us, bytes, status and source ("FILE:LINE"). tests/duckdb_reps.mjs
-- makes it from a samples.csv or from the raw key=value folders.
--
-- The rules are stats's (README, "reps.csv"): a repetition is (its file,
-- its rep number) within its labels; an operation succeeds when its status
-- is empty or "ok"; wall is the last end minus the first start over every
-- operation; busy, bytes and the duration figures are of the successful
-- ones; quantile_cont is the type-7 quantile stats computes.
CREATE OR REPLACE TEMP VIEW vmnr_ops AS
SELECT COLUMNS(c -> c NOT IN ('seq', 'start_us', 'end_us', 'duration_us',
                              'bytes', 'status', 'source', 'start_res_us')),
       regexp_replace(source, ':[0-9]+$', '') AS file,
       start_us, end_us, end_us - start_us AS dur, bytes,
       coalesce(status, '') IN ('', 'ok') AS ok
FROM samples;

CREATE OR REPLACE TEMP TABLE vmnr_reps AS
SELECT COLUMNS(c -> c NOT IN ('start_us', 'end_us', 'dur', 'bytes', 'ok')),
       count(*) AS ops,
       count(*) FILTER (WHERE NOT ok) AS failed_ops,
       max(end_us) - min(start_us) AS wall_us,
       sum(dur) FILTER (WHERE ok) AS busy_us,
       sum(bytes) FILTER (WHERE ok) AS bytes,
       avg(dur) FILTER (WHERE ok) AS op_mean_us,
       quantile_cont(dur, 0.5) FILTER (WHERE ok) AS op_p50_us,
       quantile_cont(dur, 0.99) FILTER (WHERE ok) AS op_p99_us,
       min(start_us) AS start_us
FROM vmnr_ops
GROUP BY ALL;
