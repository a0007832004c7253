/**
 * Running a parallel case's branches on real threads (gm_par.c through the addon's parRun): each
 * branch op is resolved here to one C call with its arguments (fds, addresses), the threads start
 * together at a gate, every op is timed with CLOCK_MONOTONIC, and the calling thread answers
 * userfaults as the sequential accessUffd does (each with the faulting op's onUserfault and fill).
 * The raw results become Outcomes the way the sequential ops build them.
 *
 * What is never run concurrently: an op on a dead handle (its conventional outcome is known and
 * issues nothing: the sequential op gives it now), and a range that leaves its live mapping —
 * relocation into the dead zone (./addrspace.ts) is sequential machinery, so such an op is refused
 * (branch ops touch one page of a mapping: models/parallel/case.ts).
 */
import {
  CONVERT_API, FILE_IO_CALL, MADV, MEMPOLICY_QUERY, PAGE_SIZE, UFFD_PAGEFAULT_FLAG, UFFD_RESOLVE, err, errnoName, ok,
  type Op, type Outcome,
} from '../../../spec/vocab/index.js';
import { BadOpError, TargetBrokenError, TargetLimitError, TargetTimeoutError } from '../../../spec/vocab/errors.js';
import type { BranchRun, TimedOutcome } from '../../../spec/vocab/target.js';
import { addrOf, pageEnd, withinMap } from './addrspace.js';
import type { RawAccess, RawParResult } from './binding.js';
import type { Ctx } from './context.js';
import { dispatch } from './dispatch.js';
import { fromAccess, fromRc } from './outcomes.js';
import type { MapEntry } from './tables.js';

/** gm_par.h enum gm_par_code. */
const CODE = {
  NONE: 0, LOAD: 1, STORE: 2, FALLOCATE: 3, MADVISE: 4, MINCORE: 5, KACCESS: 6, FILEIO: 7, FSTAT: 8, MBIND: 9,
  GETPOL: 10, UREGISTER: 11, URESOLVE: 12, CONVERT: 13,
} as const;

type Word = number | bigint;
interface Encoded {
  readonly call: readonly [number, Word, Word, Word, Word, Word, Word];
  readonly decode: (r: RawParResult) => Outcome;
}
/** An op resolved for a branch thread, or its outcome when nothing needs to be issued. */
type Resolved = Encoded | { readonly known: Outcome };

const call = (code: number, ...a: Word[]): Encoded['call'] => [code, a[0] ?? 0, a[1] ?? 0, a[2] ?? 0, a[3] ?? 0, a[4] ?? 0, a[5] ?? 0];

/** A live mapping and the address of [offset, offset + len) in it; throws if the range leaves it. */
const inMap = (c: Ctx, op: Op & { map: number }, offset: bigint, len: bigint): { m: MapEntry; addr: bigint } | undefined => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return undefined;
  const addr = addrOf(m, offset);
  if (offset < 0n || !withinMap(m, addr, len)) {
    throw new BadOpError(`${op.kind} at map ${op.map}+${offset} (${len} bytes) leaves its mapping: a branch op must stay inside one (models/parallel/case.ts)`);
  }
  return { m, addr };
};

const accessOutcome = (m: MapEntry, store: boolean) => (r: RawParResult): Outcome => {
  const access = fromAccess(r[6] as RawAccess, m.base, store);
  const ev = r[7];
  if (ev === null) return access;
  const [flags, page, resolve] = ev;
  return {
    kind: 'uffd',
    event: { write: (flags & BigInt(UFFD_PAGEFAULT_FLAG.WRITE)) !== 0n, wp: (flags & BigInt(UFFD_PAGEFAULT_FLAG.WP)) !== 0n, minor: (flags & BigInt(UFFD_PAGEFAULT_FLAG.MINOR)) !== 0n, offset: page - m.base },
    resolve: resolve >= 0 ? ok({ count: resolve }) : err(errnoName(-resolve)),
    access,
  };
};

const resolveOp = (c: Ctx, op: Op): Resolved => {
  const known = (): Resolved => ({ known: dispatch(c, op) });
  switch (op.kind) {
    case 'load': case 'store': {
      const at = inMap(c, op, op.offset, 1n);
      if (at === undefined) return known();
      const store = op.kind === 'store';
      return { call: call(store ? CODE.STORE : CODE.LOAD, at.addr, store ? op.value : 0, UFFD_RESOLVE[op.onUserfault], op.fill), decode: accessOutcome(at.m, store) };
    }
    case 'fallocate':
      return { call: call(CODE.FALLOCATE, c.t.fd(op.fd), op.mode, op.offset, op.len), decode: (r) => fromRc(r[0]) };
    case 'madvise': {
      // The uffd-wp marker livelock (ops-mm.ts madvise): not run where a WP registration exists.
      if (op.advice === 'GUARD_INSTALL' && c.t.regs.some((r) => r.map === op.map && ((r.mode ?? 0n) & 2n) !== 0n)) {
        throw new TargetLimitError(`madvise: GUARD_INSTALL on map ${op.map}, which has a userfaultfd WP registration: the kernel may never return (MAP-30); the op was not run`);
      }
      const at = inMap(c, op, op.offset, op.length);
      return at === undefined ? known() : { call: call(CODE.MADVISE, at.addr, op.length, MADV[op.advice]), decode: (r) => fromRc(r[0]) };
    }
    case 'mincore': {
      const at = inMap(c, op, op.offset, BigInt(op.pages) * PAGE_SIZE);
      if (at === undefined) return known();
      if (op.pages > 64) throw new BadOpError(`mincore of ${op.pages} pages in a branch: at most 64`);
      return {
        call: call(CODE.MINCORE, at.addr, op.pages),
        decode: (r) => (r[0] < 0 ? fromRc(r[0]) : ok(Array.from({ length: op.pages }, (_x, i) => ((r[1] >> BigInt(i)) & 1n) === 1n))),
      };
    }
    case 'kernelAccess': {
      const at = inMap(c, op, op.offset, BigInt(op.len));
      if (at === undefined) return known();
      const write = op.call === 'process_vm_writev';
      return { call: call(CODE.KACCESS, at.addr, op.len, write ? 1 : 0, op.value), decode: (r) => fromRc(r[0], (count) => ({ count, first: count > 0 ? Number(r[1]) : null })) };
    }
    case 'fileIo': {
      const code = FILE_IO_CALL[op.call];
      return {
        call: call(CODE.FILEIO, c.t.fd(op.fd), code, op.offset, op.len, op.value),
        decode: (r) => (code === 4 ? (r[0] < 0 ? fromRc(r[0]) : ok({ offset: BigInt(r[0]) })) : code === 5 ? fromRc(r[0]) : fromRc(r[0], (count) => ({ count }))),
      };
    }
    case 'fstat':
      return { call: call(CODE.FSTAT, c.t.fd(op.fd)), decode: (r) => fromRc(r[0], () => ({ size: r[1], blksize: Number(r[2]), mode: Number(r[3]) })) };
    case 'mbind': {
      const at = inMap(c, op, op.offset, op.length);
      return at === undefined ? known() : { call: call(CODE.MBIND, at.addr, op.length, op.mode, op.nodes, op.flags), decode: (r) => fromRc(r[0]) };
    }
    case 'getMempolicy': {
      const at = inMap(c, op, op.offset, 1n);
      if (at === undefined) return known();
      return {
        call: call(CODE.GETPOL, at.addr, MEMPOLICY_QUERY[op.query]),
        decode: (r) => {
          if (r[0] < 0) return err(errnoName(-r[0]));
          const mode = Number(BigInt.asIntN(64, r[1]));
          return op.query === 'ADDR' ? ok({ mode, nodes: r[2]! }) : ok({ node: mode });
        },
      };
    }
    case 'uffdRegister': {
      const at = inMap(c, op, op.offset, op.length);
      return at === undefined ? known() : { call: call(CODE.UREGISTER, c.t.uffd(op.uffd), at.addr, op.length, op.mode), decode: (r) => fromRc(r[0]) };
    }
    case 'uffdResolve': {
      const at = inMap(c, op, op.offset, op.length);
      return at === undefined ? known() : { call: call(CODE.URESOLVE, c.t.uffd(op.uffd), UFFD_RESOLVE[op.how], at.addr, op.length, op.fill), decode: (r) => fromRc(r[0], (count) => ({ count })) };
    }
    case 'convert':
      return {
        call: call(CODE.CONVERT, c.t.fd(op.fd), CONVERT_API[op.api], op.offset, op.len, op.toPrivate ? 1 : 0, op.errorOffsetIn),
        decode: (r) => (r[0] >= 0 ? ok() : r[1] === (1n << 64n) - 1n ? err(errnoName(-r[0])) : { kind: 'errno', errno: errnoName(-r[0]), errorOffset: r[1] }),
      };
    default:
      throw new BadOpError(`${op.kind} cannot run in a branch (branch ops create and destroy nothing: models/parallel/case.ts)`);
  }
};

export const runBranchesNative = (c: Ctx, branches: readonly (readonly Op[])[]): BranchRun => {
  const resolved = branches.map((b) => b.map((op) => resolveOp(c, op)));
  // A branch whose every op is known beforehand issues nothing: a no-op call keeps the shape.
  const calls = resolved.map((b) => b.map((r) => ('known' in r ? call(CODE.NONE) : r.call)));
  const uffds = [...c.t.uffds.values()];
  const ranges = [...c.t.maps.values()].filter((m) => m.live).map((m): [bigint, bigint] => [m.base, pageEnd(m) - m.base]);
  const out = c.b.parRun(calls, uffds, ranges, c.uffdTimeoutMs);
  if (out.stuck !== undefined) {
    c.stuckRuns.push(out.stuck);
    throw new TargetTimeoutError(`parallel branches: a userfault stayed unanswered past ${c.uffdTimeoutMs} ms; the blocked pages are PROT_NONE and every mapping stays until the threads end`);
  }
  if (out.results === undefined) throw new TargetBrokenError('parallel branches: the addon returned no results');
  const t0 = out.results.flat().reduce((m, r) => (r[4] < m ? r[4] : m), out.results[0]?.[0]?.[4] ?? 0n);
  const branchesOut = resolved.map((b, i) => b.map((r, k): TimedOutcome => {
    const raw = out.results![i]![k]!;
    const outcome = 'known' in r ? r.known : r.decode(raw);
    return { outcome, start: Number(raw[4] - t0), end: Number(raw[5] - t0) };
  }));
  if (out.timedOut) throw new TargetTimeoutError(`parallel branches: a userfault was not answered within ${c.uffdTimeoutMs} ms (ranges unregistered)`);
  return { branches: branchesOut, ns: Number(out.wallNs ?? 0n) };
};
