/** Templates for NUMA mempolicy and userfaultfd (rules POL-*, UFD-*). */
import fc from 'fast-check';
import { MPOL, MPOL_MF, UFFD_FEATURE, UFFD_MODE } from '../../../spec/vocab/index.js';
import { pick } from '../context.js';
import { byteArb, hotArb, lenArb, offsetArb } from '../choices.js';
import { template, type TemplateArbs } from '../template.js';
import { mapAt, mapRange, resolveAccess } from './maps.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';

const modeArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(MPOL.BIND) },
  { weight: 4, arbitrary: fc.constant(MPOL.DEFAULT) },
  { weight: 2, arbitrary: fc.constantFrom(MPOL.PREFERRED, MPOL.INTERLEAVE) },
  { weight: 1, arbitrary: fc.constantFrom(MPOL.LOCAL, MPOL.PREFERRED_MANY, MPOL.WEIGHTED_INTERLEAVE, 999) },
);
const nodesArb = fc.oneof({ weight: 8, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(0, 2, 3) });
const mapOffsetArb = offsetArb({ huge: 0, near63: 0, eof: 0, past: 1 });
const mapLenArb = lenArb({ huge: 0, negative: 0, toEnd: 2 });
const accessArb = fc.record({ n: fc.nat(), where: fc.constantFrom('first', 'page', 'last', 'eof', 'beyondMap' as const), page: fc.nat(15), byte: fc.constant(0n), hot: hotArb });

export const policyTemplates = {
  mbind: fc.record({ n: fc.nat(), off: mapOffsetArb, len: mapLenArb, hot: hotArb, mode: modeArb, nodes: nodesArb, flags: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(MPOL_MF.STRICT, MPOL_MF.MOVE, MPOL_MF.STRICT | MPOL_MF.MOVE) }) })
    .map(({ n, off, len, hot, mode, nodes, flags }) => template('mbind', (c) => {
      const r = mapRange(c, n, off, len, hot);
      return { kind: 'mbind', ...r, mode, nodes: mode === MPOL.DEFAULT || mode === MPOL.LOCAL ? 0 : nodes, flags };
    })),
  getMempolicy: fc.record({ a: accessArb, query: fc.oneof({ weight: 5, arbitrary: fc.constant('ADDR' as const) }, { weight: 1, arbitrary: fc.constant('ADDR_NODE' as const) }) })
    .map(({ a, query }) => template('getMempolicy', (c) => ({ kind: 'getMempolicy', ...resolveAccess(a, c), query }))),
  setMempolicy: fc.record({ mode: fc.constantFrom(MPOL.DEFAULT, MPOL.BIND, MPOL.PREFERRED, MPOL.INTERLEAVE, MPOL.LOCAL), nodes: nodesArb })
    .map(({ mode, nodes }) => template('setMempolicy', () => ({ kind: 'setMempolicy', mode, nodes: mode === MPOL.DEFAULT || mode === MPOL.LOCAL ? 0 : nodes }))),
  uffdCreate: fc.constantFrom(0, 0, UFFD_FEATURE.MISSING_SHMEM | UFFD_FEATURE.MINOR_SHMEM, UFFD_FEATURE.WP_ASYNC, 1 << 30)
    .map((features) => template('uffdCreate', (c) => ({ kind: 'uffdCreate', id: c.uffds, features }))),
  uffdRegister: fc.record({ u: fc.nat(), n: fc.nat(), off: mapOffsetArb, len: mapLenArb, hot: hotArb, mode: fc.constantFrom(UFFD_MODE.MISSING, UFFD_MODE.MISSING, UFFD_MODE.MINOR, UFFD_MODE.MINOR, UFFD_MODE.WP, UFFD_MODE.MISSING | UFFD_MODE.MINOR, UFFD_MODE.MISSING | UFFD_MODE.WP) })
    .map(({ u, n, off, len, hot, mode }) => template('uffdRegister', (c) => {
      return { kind: 'uffdRegister', uffd: pick(u, c.uffds), ...mapRange(c, n, off, len, hot), mode };
    })),
  uffdResolve: fc.record({ u: fc.nat(), n: fc.nat(), off: mapOffsetArb, hot: hotArb, pages: fc.integer({ min: 1, max: 2 }), how: fc.constantFrom('COPY', 'CONTINUE', 'ZEROPAGE' as const), fill: byteArb })
    .map(({ u, n, off, hot, pages, how, fill }) => template('uffdResolve', (c) => {
      return { kind: 'uffdResolve', uffd: pick(u, c.uffds), how, ...mapAt(c, n, off, hot), length: BigInt(pages) * P, fill };
    })),
} satisfies TemplateArbs;
