/**
 * What a branch op of a parallel case may be (models/parallel/case.ts says why: branch ops create
 * and destroy nothing, and touch one page, conversions and mbind a few). Part of the vocabulary so
 * that every boundary a case crosses — tokens, traces, the agent's branches request — refuses the
 * same ops.
 */
import { footprintOf, PAGE_SIZE, type Op, type OpKind } from './index.js';

/** Pages a conversion or mbind in a branch may cover. */
export const MAX_WIDE_PAGES = 16;
/** Op kinds a branch may hold: none creates or destroys a handle. */
export const BRANCH_KINDS: ReadonlySet<OpKind> = new Set<OpKind>([
  'load', 'store', 'fallocate', 'madvise', 'mincore', 'kernelAccess', 'fileIo', 'fstat', 'mbind', 'getMempolicy',
  'uffdRegister', 'uffdResolve', 'convert',
]);

const WIDE: ReadonlySet<OpKind> = new Set<OpKind>(['convert', 'mbind']);

/** Why `op` cannot be a branch op, or undefined. */
export const branchOpProblem = (op: Op): string | undefined => {
  if (!BRANCH_KINDS.has(op.kind)) return `${op.kind} cannot run in a branch (branch ops create and destroy nothing; kinds: ${[...BRANCH_KINDS].join(', ')})`;
  // The split points and the native branch runner know the remote side of process_vm_* only
  // (spec/mmap/access-split.ts, adapters/native/_internals/parallel.ts); the other kernel-side
  // paths (issue 15: /proc/self/mem, vmsplice, pipe and local copies) run sequentially.
  if (op.kind === 'kernelAccess' && op.call !== 'process_vm_readv' && op.call !== 'process_vm_writev') return `kernelAccess ${op.call} cannot run in a branch (only process_vm_readv and process_vm_writev)`;
  const fp = footprintOf(op);
  if (fp === undefined) return undefined;
  const P = PAGE_SIZE;
  const limit = WIDE.has(op.kind) ? BigInt(MAX_WIDE_PAGES) * P : P;
  if (fp.len > limit) return `${op.kind} covers ${fp.len} bytes; a branch op covers at most ${limit} (one page; conversion and mbind up to ${MAX_WIDE_PAGES})`;
  // Inside one page (byte-sized accesses, short I/O): a page-aligned range may fill it.
  if (!WIDE.has(op.kind) && fp.offset >= 0n && (fp.offset % P) + fp.len > P) return `${op.kind} crosses a page boundary`;
  return undefined;
};
