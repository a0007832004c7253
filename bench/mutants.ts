/**
 * `npm run mutants -- [runs per bug] [seeds] [ms per bug]`: the suite against every bug of the
 * emulator's zoo, with a budget per bug (runs, and time: a bug not found within it survives), once
 * per seed (`1`, `1,2,3` or `1-5`). Prints per bug: killed or not,
 * time to first failure, shrunk length vs the shortest known, and the rule the report named; then
 * the three scores the issue asks for, per seed. Several seeds show whether a kill is robust or a
 * lucky draw. Writes the run, with the machine and the date, under the results directory;
 * `--record` also updates the checked-in MUTANTS.md (bench/record.ts).
 */
import { recordArgs, writeOutput } from './record.js';
import { cpus } from 'node:os';
import { BUGS, RACE_BUGS, createEmulator } from '../adapters/emulator/index.js';
import type { RaceBugInfo } from '../adapters/emulator/index.js';
import { huntRace, type BuggyRaceTargets, type RaceHuntResult } from '../models/mutants/hunt-race.js';
import type { BugInfo } from '../adapters/emulator/bugs.js';
import { hunt, type BuggyTargets, type HuntResult as Hunted } from '../models/mutants/hunt.js';

type HuntResult = Hunted<BugInfo>;
const buggyEmulator: BuggyTargets = (profile, id) => async (seed) => createEmulator({ profile, seed, bugs: [id] });

const USAGE = 'usage: npm run mutants -- [runs per bug (default 10000)] [seeds: 1 | 1,2,3 | 1-5 (default 1)] [time budget per bug in ms (default 10000)] [--record] [--results DIR]';

const parseSeeds = (s: string): number[] | undefined => {
  const range = /^(\d+)-(\d+)$/.exec(s);
  if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])];
    return a <= b && b - a < 100 ? Array.from({ length: b - a + 1 }, (_, i) => a + i) : undefined;
  }
  const list = s.split(',').map(Number);
  return list.every((n) => Number.isSafeInteger(n)) ? list : undefined;
};

const out = recordArgs(process.argv.slice(2));
const argv = 'error' in out ? [] : out.rest;
const runs = Number(argv[0] ?? '10000');
const seeds = parseSeeds(argv[1] ?? '1');
const budgetMs = Number(argv[2] ?? '10000');
if ('error' in out || !Number.isSafeInteger(runs) || runs <= 0 || !seeds || !Number.isSafeInteger(budgetMs) || budgetMs <= 0 || argv.length > 3) {
  console.error(USAGE);
  process.exit(2);
}

interface Score { readonly seed: number; readonly killed: number; readonly medianMs: number; readonly worstMs: number; readonly exact: number }

const score = (seed: number, results: readonly HuntResult[]): Score => {
  const killed = results.filter((r) => r.killed);
  const times = killed.map((r) => r.msToFirst ?? 0).sort((a, b) => a - b);
  return {
    seed, killed: killed.length,
    medianMs: times.length ? times[Math.floor(times.length / 2)]! : NaN,
    worstMs: times.at(-1) ?? NaN,
    exact: killed.filter((r) => r.shrunkLength === r.bug.shortest).length,
  };
};

const pct = (n: number) => `${((100 * n) / BUGS.length).toFixed(0)}%`;
const summary = (s: Score) =>
  `seed ${s.seed}: killed ${s.killed}/${BUGS.length}; median time to first failure ${s.medianMs.toFixed(0)} ms (target ≤ 1000), slowest ${s.worstMs.toFixed(0)} ms; shrunk to the shortest known length: ${s.exact}/${BUGS.length} (${pct(s.exact)}, target ≥ 90%)`;

const raceEmulator: BuggyRaceTargets = (profile, id) => async (seed) => createEmulator({ profile, seed, bugs: [id] });
const raceBySeed = new Map<number, RaceHuntResult<RaceBugInfo>[]>();

const bySeed = new Map<number, HuntResult[]>();
const scores: Score[] = [];
for (const seed of seeds) {
  console.log(`\n== seed ${seed}, at most ${runs} runs and ${budgetMs} ms per bug`);
  const results: HuntResult[] = [];
  for (const bug of BUGS) {
    const r = await hunt(bug, buggyEmulator, runs, seed, budgetMs);
    results.push(r);
    console.log([
      bug.id.padEnd(34), r.killed ? 'killed' : 'ALIVE ', `${r.msToFirst === null ? '-' : r.msToFirst.toFixed(0)} ms`.padStart(9),
      `${r.shrunkLength ?? '-'}/${bug.shortest}`.padStart(6), (r.rule ?? '-').padEnd(16), !r.killed || r.rules.includes(bug.rule) ? '' : `(zoo says ${bug.rule})`,
      r.error ? ` error: ${r.error.slice(0, 80)}` : '',
    ].join('  '));
  }
  bySeed.set(seed, results);
  scores.push(score(seed, results));
  console.log(`\n${summary(scores.at(-1)!)}`);
  // The race zoo: the parallel property (models/parallel), 3× the time budget (a race needs the right interleaving too).
  const races: RaceHuntResult<RaceBugInfo>[] = [];
  for (const bug of RACE_BUGS) {
    const r = await huntRace(bug, raceEmulator, seed, budgetMs * 3);
    races.push(r);
    console.log([
      bug.id.padEnd(34), r.killed ? 'killed' : 'ALIVE ', `${r.msToFirst === null ? '-' : r.msToFirst.toFixed(0)} ms`.padStart(9),
      `${r.shrunkLength ?? '-'}/${bug.shortest}`.padStart(6), (r.rules[0] ?? '-').padEnd(16), r.killed ? (r.replays ? 'replays' : 'NO REPLAY') : '', r.error ? ` error: ${r.error.slice(0, 80)}` : '',
    ].join('  '));
  }
  raceBySeed.set(seed, races);
  console.log(`races, seed ${seed}: killed ${races.filter((r) => r.killed).length}/${RACE_BUGS.length}`);
}

// MUTANTS.md: one row per bug, one column per seed ("time to kill / shrunk length").
const cell = (r: HuntResult) => (r.killed ? `${r.msToFirst?.toFixed(0) ?? '?'} ms, ${r.shrunkLength}${r.shrunkLength === r.bug.shortest ? '' : ' ✗'}` : '**alive**');
const md = [
  '# gmemcheck mutation score',
  '',
  `Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}: \`npm run mutants -- ${runs} ${argv[1] ?? '1'} ${budgetMs}\` (runs, seeds, ms per bug).`,
  `Each cell: time to the first failing case, then the shrunk length (✗ when longer than the shortest known).`,
  '',
  `| bug | domain | rule | shortest | ${seeds.map((s) => `seed ${s}`).join(' | ')} |`,
  `|---|---|---|---|${seeds.map(() => '---').join('|')}|`,
  ...BUGS.map((b, i) => `| ${b.id} | ${b.domain} | ${b.rule} | ${b.shortest} | ${seeds.map((s) => cell(bySeed.get(s)![i]!)).join(' | ')} |`),
  '',
  ...scores.map((s) => `- ${summary(s)}`),
  '',
  '## Race zoo (the parallel property: adapters/emulator/race-bugs.ts)',
  '',
  `Each bug leaves every op correct when run alone and opens a window a lock should have closed; only an interleaving shows it. Budget per bug: ${budgetMs * 3} ms. Each cell: time to the first failing case, then the shrunk case length in ops, prefix and branches (✗ when longer than the shortest known); every shrunk case ran again from what its gmp1. token carries and gave the same unexplained outcomes, unless the cell says **no replay**.`,
  '',
  `| race bug | window | rule | shortest | ${seeds.map((s) => `seed ${s}`).join(' | ')} |`,
  `|---|---|---|---|${seeds.map(() => '---').join('|')}|`,
  ...RACE_BUGS.map((b, i) => `| ${b.id} | ${b.window} | ${b.rule} | ${b.shortest} | ${seeds.map((s) => {
    const r = raceBySeed.get(s)![i]!;
    return r.killed ? `${r.msToFirst?.toFixed(0) ?? '?'} ms, ${r.shrunkLength}${(r.shrunkLength ?? 0) > b.shortest ? ' ✗' : ''}${r.replays ? '' : ', **no replay**'}` : '**alive**';
  }).join(' | ')} |`),
  '',
  ...seeds.map((s) => `- seed ${s}: races killed ${raceBySeed.get(s)!.filter((r) => r.killed).length}/${RACE_BUGS.length}`),
  '',
];
const written = writeOutput('MUTANTS.md', md.join('\n'), out as Exclude<typeof out, { error: string }>);
console.log(`\nwritten to ${written.join(' and ')}${written.length > 1 ? '' : ' (MUTANTS.md changes only with --record)'}`);
process.exitCode = scores.every((s) => s.killed === BUGS.length) && [...raceBySeed.values()].every((rs) => rs.every((r) => r.killed && r.replays)) ? 0 : 1;
