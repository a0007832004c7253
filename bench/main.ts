/**
 * `npm run bench [-- --record] [--results DIR]`: measures speed and memory as ratios within one
 * run, with the machine description and the date, into the results directory; `--record` also
 * updates the checked-in BENCHMARKS.md (bench/record.ts). A benchmark, not a test.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { recordArgs, writeOutput } from './record.js';
import { execSync } from 'node:child_process';
import { emulatorThroughput } from './throughput.js';
import { perOpMicros } from './scale.js';
import { shrinkPlanted } from './shrink.js';
import { FAST_CHECK_SHRINK_MAX_STEPS } from '../models/property.js';
import { nativeVsC } from './native-vs-c.js';
import { mib } from './measure.js';
import { emulatorParallel, nativeParallel } from './parallel.js';
import { vmThroughput } from './vm.js';

const machine = (): string => {
  const release = execSync('uname -r').toString().trim();
  // The cores are shared: the load when the run started says how far to trust absolute figures.
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${mib(totalmem())} RAM, Linux ${release}, Node ${process.version}; load average ${loadavg()[0]!.toFixed(1)} at the start`;
};

const args = recordArgs(process.argv.slice(2));
if ('error' in args || args.rest.length > 0) {
  console.error(`usage: npm run bench [-- --record] [--results DIR]${'error' in args ? ` (${args.error})` : ''}`);
  process.exit(2);
}

const main = async (): Promise<void> => {
  const lines: string[] = [`# gmemcheck benchmarks`, '', `Run ${new Date().toISOString()} on ${machine()}.`, ''];
  const say = (l: string) => { console.log(l); lines.push(l); };

  await emulatorThroughput(100); // warm-up: JIT and caches, as for the scale figures below
  const t = await emulatorThroughput();
  say(`## Emulator throughput (one core)`);
  say(`- ${t.ops} spec-checked ops in ${t.ms.toFixed(0)} ms: **${Math.round(t.opsPerSec)} ops/s** (target ≥ 100,000); peak RSS ${mib(t.peakRss)}; failures ${t.failures}`);

  say('', );
  say(`## Scale (µs per spec-checked op: spec step + emulator apply)`);
  await perOpMicros(4096n, 0, 5_000); // warm-up: JIT and caches, so the first figure is not penalised
  const small = await perOpMicros(4096n, 0);
  say(`- 4 KiB file: ${small.toFixed(2)} µs/op`);
  for (const ranges of [1_000, 10_000, 30_000]) {
    const big = await perOpMicros(1n << 40n, ranges);
    say(`- 1 TiB file, ${ranges} ranges: ${big.toFixed(2)} µs/op (ratio ${(big / small).toFixed(2)}; log2(ranges) = ${Math.log2(ranges).toFixed(1)})`);
  }

  say('');
  say(`## Shrinking a planted failure buried in a 1,000-op sequence (target < 5 s)`);
  say(`Found to reported: fast-check's shrink when the failure is at most ${FAST_CHECK_SHRINK_MAX_STEPS} steps deep, then the minimiser (models/minimise.ts).`);
  for (const bug of ['fsync-ok', 'punch-no-zero', 'alloc-past-eof']) {
    const s = await shrinkPlanted(bug);
    say(`- ${bug}: ${s.firstLength} ops, failing at step ${s.firstFailingStep} → ${s.shrunkLength} ops in ${(s.ms / 1000).toFixed(2)} s (${s.runs} target runs)`);
  }

  say('');
  say(`## Native target vs generated C (same fixed sequence, target ratio ≤ 1.5)`);
  const n = await nativeVsC(10_000);
  say(n.ok
    ? `- ${n.ops} ops: native target ${n.nativeMs.toFixed(0)} ms, C program ${n.cMs.toFixed(0)} ms (process start included): **ratio ${(n.nativeMs / n.cMs).toFixed(2)}**; with the spec check in lockstep ${n.lockstepMs.toFixed(0)} ms (ratio ${(n.lockstepMs / n.cMs).toFixed(2)})`
    : `- skipped: ${n.reason}`);

  say('');
  say(`## Parallel cases (prefix, 2–3 concurrent branches, linearizability check)`);
  await emulatorParallel(200); // warm-up
  const pe = await emulatorParallel();
  say(`- emulator (uffd-v2, one scheduled interleaving per case): ${pe.executions} cases in ${pe.ms.toFixed(0)} ms: **${Math.round(pe.perSec)} parallel cases/s**; linearizability check **${pe.checkMs.toFixed(3)} ms per case** (worst ${pe.worstCheckMs.toFixed(1)} ms, ${pe.nodes.toFixed(0)} search nodes on average)`);
  const pn = await nativeParallel();
  say('skipped' in pn
    ? `- native: skipped: ${pn.skipped}`
    : `- native (threads, 5 executions per case${pn.note ? `; ${pn.note}` : ''}): ${pn.executions} executions in ${pn.ms.toFixed(0)} ms: **${Math.round(pn.perSec)} executions/s, ${Math.round(pn.perSec / 5)} parallel cases/s**; concurrent part ${pn.concurrentUs?.toFixed(0)} µs per execution; linearizability check **${pn.checkMs.toFixed(3)} ms per execution** (worst ${pn.worstCheckMs.toFixed(1)} ms)`);
  say(`## gmemcheck vm: Debian's newest kernel under QEMU (target ≥ 1,000 spec-checked ops/s under TCG)`);
  say('The same workload (fileops, memslot, guest, mixed; 60 sequences each; seed 1) with each multi-threaded-TCG oops workaround; the emulator figure above is this run\'s host reference.');
  for (const accel of ['tcg', 'tcg-single'] as const) {
    const v = await vmThroughput(accel);
    say(v.ok
      ? `- ${accel === 'tcg' ? 'TCG multi-threaded, one VM held open in the guest' : 'TCG thread=single'} (${v.release}): preparation ${v.prepS?.toFixed(1)} s; QEMU start → first guest command ${v.toGuestS?.toFixed(1)} s, → first op **${v.toFirstOpS?.toFixed(1)} s**; ${v.ops} ops in ${v.domainSeconds.toFixed(1)} s: **${Math.round(v.opsPerSec)} spec-checked ops/s** (${(t.opsPerSec / v.opsPerSec).toFixed(0)}× below the emulator on the host)`
      : `- ${accel}: failed: ${v.reason}`);
  }

  const written = writeOutput('BENCHMARKS.md', `${lines.join('\n')}\n`, args);
  console.log(`\nwritten to ${written.join(' and ')}${args.record ? '' : ' (BENCHMARKS.md changes only with --record)'}`);
};

await main();
