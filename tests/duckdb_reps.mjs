// make bench: contrib/duckdb/reps.sql in DuckDB (npm's @duckdb/node-api),
// from a samples.csv or from the raw key=value folders of vmnetrank-log
// files (vm=X/netmode=Y/.../DIRECTION-WORKLOAD.log, as tests/genmatrix
// writes them), into OUT.csv; prints the DuckDB version and the seconds
// it took (reading the input included).
//   node tests/duckdb_reps.mjs samples SAMPLES.csv OUT.csv
//   node tests/duckdb_reps.mjs raw LOGDIR OUT.csv
// with the package where `npm install --prefix DIR @duckdb/node-api` put
// it: DUCKDB_PREFIX=DIR (make bench: bench-data/node).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const { DuckDBInstance } = createRequire(resolve(process.env.DUCKDB_PREFIX || '.', 'x.js'))('@duckdb/node-api');
const [mode, input, out] = process.argv.slice(2);
const sql = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..',
                              'contrib', 'duckdb', 'reps.sql'), 'utf8');
const q = (s) => "'" + s.replace(/'/g, "''") + "'";
const t0 = process.hrtime.bigint();
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
if (mode === 'samples') {
	await con.run(`CREATE VIEW samples AS SELECT * FROM read_csv(${q(input)},
		header = true, delim = ',', quote = '"', escape = '"',
		types = {'rep': 'BIGINT', 'start_us': 'BIGINT', 'end_us': 'BIGINT',
		         'bytes': 'BIGINT', 'status': 'VARCHAR', 'source': 'VARCHAR'})`);
} else if (mode === 'raw') {
	// the raw logs: comment lines, then rep,seq,start_us,end_us,bytes,status;
	// direction and workload from the file's name, the labels from its
	// folders (hive partitioning)
	await con.run(`CREATE VIEW samples AS SELECT * EXCLUDE (filename),
		regexp_extract(filename, '/(internal|external)-[^/]*\\.log$', 1) AS direction,
		regexp_extract(filename, '/(internal|external)-([^/]*)\\.log$', 2) AS workload,
		filename || ':0' AS source
		FROM read_csv(${q(input + '/**/*.log')}, comment = '#', header = true,
			delim = ',', quote = '', escape = '', auto_detect = false,
			hive_partitioning = true, hive_types_autocast = false, filename = true,
			columns = {'rep': 'BIGINT', 'seq': 'BIGINT', 'start_us': 'BIGINT',
			           'end_us': 'BIGINT', 'bytes': 'BIGINT', 'status': 'VARCHAR'})`);
} else {
	console.error('usage: node tests/duckdb_reps.mjs samples|raw INPUT OUT.csv');
	process.exit(2);
}
for (const stmt of sql.split(/;\s*$/m).map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter(Boolean))
	await con.run(stmt);
await con.run(`COPY (SELECT * FROM vmnr_reps ORDER BY ALL) TO ${q(out)} (HEADER, DELIMITER ',')`);
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const v = (await con.runAndReadAll('SELECT version()')).getRows()[0][0];
console.log(`duckdb ${v} ${secs.toFixed(3)}`);
