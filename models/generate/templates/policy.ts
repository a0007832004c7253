/** Templates for NUMA mempolicy and userfaultfd (rules POL-*, UFD-*). */
import fc from 'fast-check';
import { MPOL, MPOL_MF, UFFD_FEATURE, UFFD_MODE } from '../../../spec/vocab/index.js';
import { pick } from '../context.js';
import { byteArb, hotArb, lenArb, offsetArb } from '../choices.js';
import { template, type TemplateArbs } from '../template.js';
import { intWordArb, word32Arb, word64Arb } from '../flags.js';
import { mapAt, mapRange, resolveAccess } from './maps.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';

/** A mode and its MPOL_F_* mode flags (bits 13..15) are what the kernel knows of mbind's unsigned long. */
const MODE_KNOWN = (7n << 13n) | 7n;
const modeArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(MPOL.BIND) },
  { weight: 4, arbitrary: fc.constant(MPOL.DEFAULT) },
  { weight: 2, arbitrary: fc.constantFrom(MPOL.PREFERRED, MPOL.INTERLEAVE) },
  { weight: 1, arbitrary: fc.constantFrom(MPOL.LOCAL, MPOL.PREFERRED_MANY, MPOL.WEIGHTED_INTERLEAVE, 999) },
).map(BigInt);
/** mbind's mode with the edge bits of the unsigned long (POL-21: bits 32..63 ignored, bit 31 invalid). */
const mbindModeArb = fc.oneof({ weight: 10, arbitrary: modeArb }, { weight: 1, arbitrary: word64Arb([BigInt(MPOL.BIND), BigInt(MPOL.DEFAULT)], { known: MODE_KNOWN, weight: 10 }) });
/** One mask word: node 0, sometimes others; edges: bit 32 (a node that is not online), bit 63 (never read: maxnode 64). */
const nodesArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant(1n) },
  { weight: 1, arbitrary: fc.constantFrom(0n, 2n, 3n) },
  { weight: 1, arbitrary: fc.constantFrom(1n | (1n << 63n), 1n << 63n, 1n << 32n, 1n | (1n << 32n)) },
);
const MF_KNOWN = BigInt(MPOL_MF.STRICT | MPOL_MF.MOVE | MPOL_MF.MOVE_ALL);
const UNSERVED = UFFD_FEATURE.EVENT_FORK | UFFD_FEATURE.EVENT_REMAP | UFFD_FEATURE.EVENT_REMOVE | UFFD_FEATURE.EVENT_UNMAP;
const mapOffsetArb = offsetArb({ huge: 0, near63: 0, eof: 0, past: 1 });
const mapLenArb = lenArb({ huge: 0, negative: 0, toEnd: 2 });
const accessArb = fc.record({ n: fc.nat(), where: fc.constantFrom('first', 'page', 'last', 'eof', 'beyondMap' as const), page: fc.nat(15), byte: fc.constant(0n), hot: hotArb });

export const policyTemplates = {
  mbind: fc.record({ n: fc.nat(), off: mapOffsetArb, len: mapLenArb, hot: hotArb, mode: mbindModeArb, nodes: nodesArb, flags: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: word32Arb([MPOL_MF.STRICT, MPOL_MF.MOVE, MPOL_MF.STRICT | MPOL_MF.MOVE], { known: MF_KNOWN, weight: 3 }) }) })
    .map(({ n, off, len, hot, mode, nodes, flags }) => template('mbind', (c) => {
      const r = mapRange(c, n, off, len, hot);
      const low = Number(BigInt.asIntN(32, mode));
      return { kind: 'mbind', ...r, mode, nodes: low === MPOL.DEFAULT || low === MPOL.LOCAL ? 0n : nodes, flags };
    })),
  getMempolicy: fc.record({ a: accessArb, query: fc.oneof({ weight: 5, arbitrary: fc.constant('ADDR' as const) }, { weight: 1, arbitrary: fc.constant('ADDR_NODE' as const) }) })
    .map(({ a, query }) => template('getMempolicy', (c) => ({ kind: 'getMempolicy', ...resolveAccess(a, c), query }))),
  setMempolicy: fc.record({ mode: intWordArb([MPOL.DEFAULT, MPOL.BIND, MPOL.PREFERRED, MPOL.INTERLEAVE, MPOL.LOCAL], { known: MODE_KNOWN, weight: 1 }), nodes: nodesArb })
    .map(({ mode, nodes }) => template('setMempolicy', () => ({ kind: 'setMempolicy', mode, nodes: mode === MPOL.DEFAULT || mode === MPOL.LOCAL ? 0n : nodes }))),
  // Edge bits of the __u64 (bit 17 up, 31, 32, 63, all ones) never include the event features,
  // which the native target refuses before the call (UFFD_FEATURES_SERVABLE).
  uffdCreate: word64Arb([0n, 0n, UFFD_FEATURE.MISSING_SHMEM | UFFD_FEATURE.MINOR_SHMEM, UFFD_FEATURE.WP_ASYNC], { known: 0x1ffffn })
    .map((w) => w & ~UNSERVED)
    .map((features) => template('uffdCreate', (c) => ({ kind: 'uffdCreate', id: c.uffds, features }))),
  uffdRegister: fc.record({ u: fc.nat(), n: fc.nat(), off: mapOffsetArb, len: mapLenArb, hot: hotArb, mode: word64Arb([UFFD_MODE.MISSING, UFFD_MODE.MISSING, UFFD_MODE.MINOR, UFFD_MODE.MINOR, UFFD_MODE.WP, UFFD_MODE.MISSING | UFFD_MODE.MINOR, UFFD_MODE.MISSING | UFFD_MODE.WP], { known: 7n, weight: 1 }), wpOnly: fc.nat({ max: 3 }) })
    .map(({ u, n, off, len, hot, mode, wpOnly }) => template('uffdRegister', (c) => {
      // A WP_ASYNC context: mostly WP alone, the one mode 6.18 registers on guest_memfd (UFD-1), so write protection is reached there.
      const uffd = pick(u, c.uffds);
      return { kind: 'uffdRegister', uffd, ...mapRange(c, n, off, len, hot), mode: c.asyncUffds.has(uffd) && wpOnly > 0 ? UFFD_MODE.WP : mode };
    })),
  uffdResolve: fc.record({ u: fc.nat(), n: fc.nat(), off: mapOffsetArb, hot: hotArb, pages: fc.integer({ min: 1, max: 2 }), how: fc.constantFrom('COPY', 'CONTINUE', 'ZEROPAGE' as const), fill: byteArb })
    .map(({ u, n, off, hot, pages, how, fill }) => template('uffdResolve', (c) => {
      return { kind: 'uffdResolve', uffd: pick(u, c.uffds), how, ...mapAt(c, n, off, hot), length: BigInt(pages) * P, fill };
    })),
} satisfies TemplateArbs;
