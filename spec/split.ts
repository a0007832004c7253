/**
 * Ops that are not one atomic step when other threads run, as the parallel check sees them: each
 * such op becomes linearization points the spec judges where they fall (loads and stores:
 * ./mmap/access-split.ts; hole punches: ./fileops/punch-split.ts; UFFDIO_COPY/ZEROPAGE:
 * ./uffd/resolve-split.ts). Every other op is one point.
 */
import type { Op, Outcome } from './vocab/index.js';
import type { SpecState } from './state/types.js';
import { splitAccess, type SplitPoint } from './mmap/access-split.js';
import { splitPunch } from './fileops/punch-split.js';
import { splitResolve } from './uffd/resolve-split.js';

export const splitOp = (op: Op, observed: Outcome): readonly SplitPoint<SpecState>[] | undefined =>
  splitAccess(op, observed) ?? splitPunch(op, observed) ?? splitResolve(op, observed);
