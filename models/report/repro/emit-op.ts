/**
 * The C call of each step (spec/vocab/render-c.ts), with the runtime variant the case needs
 * (models/report/repro/runtime.c): a ranged op whose range lies inside its mapping, as the
 * sequence itself shows (the mmap's length), is issued directly, as the native target's placement
 * would; only a range that may leave its mapping needs the `_placed` variant and the dead-zone
 * machinery; loads and stores need the `_any` variant only when they may leave their mapping or
 * meet a userfault registration. Ops a standalone program cannot issue become a KTAP SKIP.
 */
import { PAGE_SIZE, cCall, cFunction, createdBy, declOf, footprintOf, type Op, type OpKind } from '../../../spec/vocab/index.js';

export type Emitted = { readonly kind: 'call'; readonly code: string; readonly placed: boolean } | { readonly kind: 'skip'; readonly why: string };

/** Op kinds whose range the native target places (adapters/native/_internals/addrspace.ts place()). */
export const PLACED: ReadonlySet<OpKind> = new Set(['madvise', 'mincore', 'kernelAccess', 'mbind', 'getMempolicy', 'uffdRegister', 'futex', 'directIo', 'pin', 'mlock', 'msync', 'pagemap', 'smaps', 'setVmaName', 'munmapPart', 'mprotectRange', 'getMempolicyFlags', 'numaMaps', 'procmapQuery', 'pagemapScan', 'mapFiles', 'uffdWriteProtect']);
export const ACCESS: ReadonlySet<OpKind> = new Set(['load', 'store']);

/** The requested length of every map handle the sequence creates (its mmap's footprint). */
const mapLengths = (ops: readonly Op[]): Map<number, bigint> => {
  const out = new Map<number, bigint>();
  for (const op of ops) {
    const made = createdBy(op);
    const fp = footprintOf(op);
    // After a partial munmap neither piece's length is known statically (it depends on whether
    // the call succeeded): every range on them is placed (-1 = unknown).
    if (op.kind === 'munmapPart') { out.set(op.map, -1n); out.set(op.id, -1n); continue; }
    if (made?.cls === 'map' && fp !== undefined) out.set(made.id, fp.len);
  }
  return out;
};

/** Does the op's map range lie inside its mapping's own pages (so placement would answer "direct")? */
const inside = (op: Op, lengths: ReadonlyMap<number, bigint>): boolean => {
  const fp = footprintOf(op);
  if (fp === undefined || !('map' in fp)) return true;
  const length = lengths.get(fp.map);
  if (length === undefined) return true; // never mapped: a dead handle, answered before any placement
  if (length < 0n) return false;
  const pageEnd = ((length + PAGE_SIZE - 1n) / PAGE_SIZE) * PAGE_SIZE;
  return fp.offset >= 0n && fp.len >= 0n && fp.offset + fp.len <= pageEnd;
};

export interface CaseContext {
  readonly lengths: ReadonlyMap<number, bigint>;
  readonly uffd: boolean;
}

export const caseContext = (ops: readonly Op[]): CaseContext =>
  ({ lengths: mapLengths(ops), uffd: ops.some((o) => o.kind === 'uffdRegister') });

export const emitOp = (op: Op, c: CaseContext): Emitted => {
  const why = declOf(op.kind).notReproducible;
  if (why !== undefined) return { kind: 'skip', why };
  const within = inside(op, c.lengths);
  if (ACCESS.has(op.kind) && (!within || c.uffd)) return { kind: 'call', code: cCall(op, `${cFunction(op.kind)}_any`), placed: false };
  if (PLACED.has(op.kind) && !within) return { kind: 'call', code: cCall(op, `${cFunction(op.kind)}_placed`), placed: true };
  return { kind: 'call', code: cCall(op), placed: false };
};
