/**
 * Why this test? The parallel check judges a load or store as several points (an internal
 * fault-in, then the event, resolve and access of a userfault, or just the access:
 * spec/mmap/access-split.ts, with an internal unregister after a failed resolve). With nothing in between they must say exactly what the sequential
 * verdict says, or the parallel domain would reject (or accept) what the sequential one does not.
 * For every load/store outcome the spec allows in generated uffd sequences (memfd on 6.18,
 * guest_memfd under uffd-v2, MINOR-zero variants, conversion), the points judged back to back —
 * with the page faulted in at the internal point and without — accept its parts and reach the
 * same state. So must an explicit one-page UFFDIO_COPY/ZEROPAGE, split into its insert point and
 * the call (spec/uffd/resolve-split.ts), with the folio inserted early and not. The sequences are built to reach userfaults: a file, a mapping,
 * page changes (store, allocate, punch, convert), a registered uffd, then accesses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAllowed, outcomeEqual, type Op, type Outcome, type Profile } from '../../../spec/vocab/index.js';
import { ALLOCATED, FAULTED_IN, NOT_HERE } from '../../../spec/mmap/access-split.js';
import { INSERTED } from '../../../spec/uffd/resolve-split.js';
import { resolveProfile } from '../../../spec/profiles/index.js';
import { SPEC, type SpecState } from '../../../models/spec-api.js';
import { newKeyCache, stateKey } from '../../../models/parallel/state-key.js';

const PROFILES = ['linux-6.18', 'uffd-v2', 'uffd-v2/P-MINOR-ZERO=MISSING', 'uffd-v2/P-UFFD-PRIV=USERFAULT', 'conversion-v8'];
const P = 4096n;
const how = fc.constantFrom('COPY', 'CONTINUE', 'ZEROPAGE' as const);
const at = fc.constantFrom(0n, P);
/** A file, a mapping, a registered uffd, some ops that change the pages, then accesses. */
const caseArb = fc.record({
  gmem: fc.boolean(), shared: fc.boolean(), features: fc.constantFrom(0n, 0n, 1n << 7n), mode: fc.constantFrom(1n, 4n, 5n),
  prep: fc.array(fc.oneof(
    fc.record({ kind: fc.constant('store' as const), offset: at, value: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant('alloc' as const), offset: at }),
    fc.record({ kind: fc.constant('punch' as const), offset: at }),
    fc.record({ kind: fc.constant('private' as const), offset: at }),
  ), { maxLength: 3 }),
  accesses: fc.array(fc.record({ write: fc.boolean(), resolve: fc.boolean(), offset: at, how, fill: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 4 }),
}).map((c): Op[] => {
  const file: Op[] = c.gmem
    ? [{ kind: 'createVm', id: 0, type: 1n }, { kind: 'createGmem', vm: 0, id: 0, size: 2n * P, flags: 3n, reserved: [0n, 0n, 0n, 0n, 0n, 0n] }]
    : [{ kind: 'createMemfd', id: 0, size: 2n * P }];
  const prep = c.prep.map((x): Op => {
    switch (x.kind) {
      case 'store': return { kind: 'store', map: 0, offset: x.offset, value: x.value, onUserfault: 'COPY', fill: 0 };
      case 'alloc': return { kind: 'fallocate', fd: 0, mode: 1, offset: x.offset, len: P };
      case 'punch': return { kind: 'fallocate', fd: 0, mode: 3, offset: x.offset, len: P };
      case 'private': return { kind: 'convert', fd: 0, api: 'GMEM-ATTR2', offset: x.offset, len: P, toPrivate: true, errorOffsetIn: 0n };
    }
  });
  return [
    ...file,
    { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 2n * P, prot: 3n, shared: c.gmem || c.shared },
    ...prep,
    { kind: 'uffdCreate', id: 0, features: c.features },
    { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: 2n * P, mode: c.mode },
    // An explicit resolve too: a one-page COPY/ZEROPAGE is an insert point, then the call (spec/uffd/resolve-split.ts).
    ...c.accesses.map((a): Op => (a.resolve
      ? { kind: 'uffdResolve', uffd: 0, how: a.how, map: 0, offset: a.offset, length: P, fill: a.fill }
      : a.write
      ? { kind: 'store', map: 0, offset: a.offset + 5n, value: 9, onUserfault: a.how, fill: a.fill }
      : { kind: 'load', map: 0, offset: a.offset + 5n, onUserfault: a.how, fill: a.fill })),
  ];
});

describe('a load or store split into points agrees with its sequential verdict', () => {
  for (const name of PROFILES) {
    it(`under ${name}`, () => {
      const profile: Profile = resolveProfile(name);
      let checked = 0;
      let resolves = 0;
      fc.assert(
        fc.property(caseArb, (ops) => {
          let s: SpecState = SPEC.initialState(profile);
          for (const op of ops) {
            const v = SPEC.step(profile, s, op);
            for (const o of v.allowed) {
              const points = SPEC.splitOp?.(op, o);
              if (points === undefined) continue;
              // Internal points: never taken, then each of their outcomes in turn (the first point's choice).
              for (const early of [NOT_HERE, FAULTED_IN, ALLOCATED, INSERTED]) {
                let t = s;
                const prior: Outcome[] = [];
                for (const pt of points) {
                  const pv = pt.judge(profile, t, prior);
                  if (pt.observed === undefined) {
                    const pick = pv.allowed.length === 1 ? pv.allowed[0]! : pv.allowed.find((a) => outcomeEqual(a, early)) ?? NOT_HERE;
                    expect(isAllowed(pick, pv.allowed), `${pt.label} of ${op.kind}`).toBe(true);
                    prior.push(pick);
                    t = pv.next(pick);
                    continue;
                  }
                  expect(isAllowed(pt.observed, pv.allowed), `${pt.label} of ${op.kind}: ${JSON.stringify(pt.observed, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}` : x))}`).toBe(true);
                  prior.push(pt.observed);
                  t = pv.next(pt.observed);
                }
                const cache = newKeyCache();
                expect(stateKey(t, cache)).toBe(stateKey(v.next(o), cache));
              }
              if (o.kind === 'uffd') checked++;
              if (op.kind === 'uffdResolve') resolves++;
            }
            // Every allowed outcome is followed in turn across runs: take the last (uffd ones come late).
            s = v.next(v.allowed[v.allowed.length - 1]!);
          }
        }),
        { numRuns: 200, seed: 11 },
      );
      expect(checked, 'uffd outcomes the generated sequences reached').toBeGreaterThan(20);
      if (profile.features.uffd || name === 'linux-6.18') expect(resolves, 'split resolves the generated sequences reached').toBeGreaterThan(5);
    });
  }
});
