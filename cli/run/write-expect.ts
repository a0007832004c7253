/**
 * `run --write-expect FILE`: this run's distinct failures as a baseline (cli/run/expect.ts). An
 * entry of --expect that matched keeps its reason and link; a new failure gets a reason that says
 * what still has to be said; an --expect entry this run did not reach is kept (nothing was learnt
 * about it); one that did not occur although its rule was judged (XPASS) is dropped, and said so.
 */
import * as path from 'node:path';
import { writeFileAtomic } from '../../models/report/atomic.js';
import type { TargetSetup } from '../../models/target-setup.js';
import { baselineJson, EXPECT_SCHEMA, literalGlob, type ExpectEntry } from './expect.js';
import type { Verdicts } from './verdicts.js';

export const writeBaseline = (file: string, s: TargetSetup, v: Verdicts, o: { readonly seed: number }): string => {
  const release = literalGlob(s.probe.release);
  const entries: ExpectEntry[] = v.judged.map((j) => j.entry ?? {
    rule: j.finding.key.rule, op: j.finding.key.kind, release,
    reason: `found by gmemcheck run --seed ${o.seed} on ${s.probe.release} under ${s.profile.name}: say why this deviation is known`,
    link: `docs/rules.md ${j.finding.key.rule}`,
  });
  const kept = v.expectations.filter((e) => e.status === 'not reached' || e.status === 'not judged' || e.status === 'other release').map((e) => e.entry);
  const dropped = v.expectations.filter((e) => e.status === 'XPASS').map((e) => `${e.entry.rule} on ${e.entry.op}`);
  const all = [...new Set([...entries, ...kept])];
  try {
    writeFileAtomic(file, baselineJson({ schema: EXPECT_SCHEMA, profile: s.profile.name, entries: all }));
  } catch (e) {
    return `--write-expect ${file}: not written (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
  }
  return `wrote ${path.relative(process.cwd(), file) || file}: ${all.length} expected deviation(s)${dropped.length ? `; dropped (XPASS): ${dropped.join(', ')}` : ''}`;
};
