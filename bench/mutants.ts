/**
 * `npm run mutants`: the suite against every bug of the emulator's zoo, with a run budget per bug.
 * Prints bug, killed or not, time to first failure, shrunk length vs the shortest known, and the
 * rule the report named; then the three scores the issue asks for.
 */
import { BUGS } from '../adapters/emulator/bugs.js';
import { hunt } from '../models/mutants/hunt.js';

const runs = Number(process.argv[2] ?? '2000');
const seed = Number(process.argv[3] ?? '1');
if (!Number.isSafeInteger(runs) || runs <= 0 || !Number.isSafeInteger(seed)) {
  console.error('usage: npm run mutants -- [runs per bug (default 2000)] [seed (default 1)]');
  process.exit(2);
}
const rows: string[] = [];
const results = [];
for (const bug of BUGS) {
  const r = await hunt(bug, runs, seed);
  results.push(r);
  const line = [
    bug.id.padEnd(34), r.killed ? 'killed' : 'ALIVE ', `${r.msToFirst === null ? '-' : r.msToFirst.toFixed(0)} ms`.padStart(9),
    `${r.shrunkLength ?? '-'}/${bug.shortest}`.padStart(6), (r.rule ?? '-').padEnd(16), !r.killed || r.rules.includes(bug.rule) ? '' : `(zoo says ${bug.rule})`,
    r.error ? ` error: ${r.error.slice(0, 80)}` : '',
  ].join('  ');
  rows.push(line);
  console.log(line);
}
const killed = results.filter((r) => r.killed);
const times = killed.map((r) => r.msToFirst ?? 0).sort((a, b) => a - b);
const median = times.length ? times[Math.floor(times.length / 2)]! : NaN;
const exact = killed.filter((r) => r.shrunkLength === r.bug.shortest).length;
console.log(`\nkilled ${killed.length}/${results.length}; median time to first failure ${median.toFixed(0)} ms (target ≤ 1000); shrunk to the shortest known length: ${exact}/${results.length} (${((100 * exact) / results.length).toFixed(0)}%, target ≥ 90%)`);
process.exitCode = killed.length === results.length ? 0 : 1;
