import { initialState, step } from '../../../spec/index.js';
import { PRESETS } from '../../../spec/profiles/index.js';
import { setupOps } from './arb.js';
const p = PRESETS['linux-6.18']!;
let s = initialState(p);
const P = 4096n;
const seq: any[] = [...setupOps(3n, false)];
for (let i = 0; i < 300000; i++) {
  const off = BigInt((i * 7919) % 16) * P + BigInt(i % 4096);
  seq.push(i % 5 === 0 ? { kind: 'fallocate', fd: 0, mode: 3, offset: BigInt(i % 16) * P, len: P } : i % 2 ? { kind: 'store', map: 0, offset: off, value: i & 255, onUserfault: 'COPY', fill: 0 } : { kind: 'load', map: 0, offset: off, onUserfault: 'COPY', fill: 0 });
}
const t0 = performance.now();
for (const op of seq) { const v = step(p, s, op); s = v.next(v.allowed[0]!); }
console.log('valid mix', Math.round(seq.length / (performance.now() - t0) * 1000), 'ops/s');
