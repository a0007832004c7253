import { initialState, step } from '../../../spec/index.js';
import { PRESETS } from '../../../spec/profiles/index.js';
import fc from 'fast-check';
import { anyOp, setupOps } from './arb.js';
const p = PRESETS['linux-6.18']!;
const ops = fc.sample(anyOp, { numRuns: 20000, seed: 42 });
const mix = [...setupOps(3n, false), ...ops];
let s = initialState(p);
let n = 0;
const t0 = performance.now();
for (let rep = 0; rep < 10; rep++) for (const op of mix) { const v = step(p, s, op); s = v.next(v.allowed[0]!); n++; }
console.log(Math.round(n / (performance.now() - t0) * 1000), 'ops/s');
