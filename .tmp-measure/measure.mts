import fc from 'fast-check';
import { createNativeTarget } from '../adapters/native/index.js';
import { NATIVE_LIMITS } from '../models/generate/context.js';
import { MEMFD_MIXED } from '../models/generate/mixes.js';
import { sequenceArb } from '../models/generate/sequence.js';
import { resolveTemplates } from '../models/property.js';
import { SPEC } from '../models/spec-api.js';
import { linux618NoGmem } from '../spec/profiles/index.js';
import { formatOp, formatOutcome, isAllowed } from '../spec/vocab/index.js';

const runs = Number(process.argv[2] ?? 200);
const seed = Number(process.argv[3] ?? 7);
const p = linux618NoGmem;
const seqs = fc.sample(sequenceArb({ mix: { ...MEMFD_MIXED, child: 12, madvise: 8, createMemfd: 10, mmap: 12 }, maxLength: 60, excluded: new Set(['guestMapLevel', 'guestAccess'] as const) }), { numRuns: runs, seed });
let ops = 0, childOps = 0, fails = 0;
const tally = new Map<string, number>();
const t0 = Date.now();
for (const t of seqs) {
  const seq = resolveTemplates(t, NATIVE_LIMITS, p);
  const target = await createNativeTarget();
  let s = SPEC.initialState(p);
  for (const op of seq) {
    const v = SPEC.step(p, s, op);
    const o = await target.apply(op);
    ops++;
    if (op.kind === 'child') {
      childOps++;
      const key = `${op.act.kind} -> ${formatOutcome(o).replace(/ at map offset .*/, '').replace(/\{value:\d+\}/, '{value}')}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    if (!isAllowed(o, v.allowed)) { fails++; console.log('FAIL', formatOp(op), formatOutcome(o), v.rules); break; }
    s = v.next(o);
  }
  await target.close();
}
console.log(`ops ${ops}, child ops ${childOps}, failures ${fails}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log([...tally].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}\t${k}`).join('\n'));
