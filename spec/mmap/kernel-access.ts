/**
 * Kernel-side accesses to len bytes of a mapping (kernelAccess): the remote side of
 * process_vm_readv/writev and vmsplice through GUP (MAP-9, MAP-33), /proc/self/mem through GUP
 * with FOLL_FORCE (MAP-31), and user copies, where the kernel reads or writes the mapping through
 * the user page tables (read/write of a pipe, the local side of process_vm_*: MAP-34). ok value
 * { count, first }: the bytes moved and the first of them.
 *
 * All of them move bytes up to the first page they cannot reach and report how many; a path that
 * moved nothing fails (EFAULT; EIO for /proc/self/mem). They differ in what stops them: the VMA's
 * permissions (FORCE reads anything and writes through COW), NO_DIRECT_MAP (refuses GUP, not user
 * copies: DMAP-20), and in how they count: pipe buffers are whole pages of the transfer, so a pipe
 * copy counts only the buffers it completed while the failing buffer's first bytes still land.
 */
import { PIPE_PAGES, err, ok, type Errno, type KernelAccessCall } from '../vocab/index.js';
import { cases, eitherOf, fact, only, rule, andThen, type Decision, type Rule } from '../rule.js';
import { UNKNOWN } from '../state/bytes.js';
import type { Ctx, MapCtx } from '../ctx.js';
import { faultAroundAtEof, gupEither, gupFaultIn, gupStop, gupWrite, map9, type GupStop, type Reach } from './gup.js';
import { readByte } from './page-io.js';
import { owningByte } from './content.js';
import { deadMap } from '../lifetime/handles.js';
import type { Mapping, SpecState } from '../state/types.js';
import { onMap, type Steps } from '../run.js';

type C = Ctx<'kernelAccess'>;
type M = MapCtx<'kernelAccess'>;

/** One access path: how it reaches the pages, whether it writes the mapping, and how it counts. */
interface Path {
  readonly reach: Reach;
  /** Data moves into the mapping (the mapping is written). */
  readonly into: boolean;
  /** The errno when nothing was moved. */
  readonly none: Errno;
  /** Counts whole pipe buffers (4096-byte pieces of the transfer), not bytes. */
  readonly chunks: boolean;
  /** vmsplice: at most PIPE_PAGES pages fit in the pipe. */
  readonly pipeCap: boolean;
}

const path = (reach: Reach, into: boolean, extra: Partial<Path> = {}): Path =>
  ({ reach, into, none: 'EFAULT', chunks: false, pipeCap: false, ...extra });

export const PATHS: { readonly [K in KernelAccessCall]: Path } = {
  process_vm_readv: path('gup', false),
  process_vm_writev: path('gup', true),
  proc_mem_read: path('force', false, { none: 'EIO' }),
  proc_mem_write: path('force', true, { none: 'EIO' }),
  vmsplice: path('gup', false, { pipeCap: true }),
  pipe_read_into: path('copy', true, { chunks: true }),
  pipe_write_from: path('copy', false, { chunks: true }),
  pvm_local_read: path('copy', true),
  pvm_local_write: path('copy', false),
};

export const kaEmpty = rule<C>({
  id: 'GEN-PVM',
  cite: 'mm/process_vm_access.c process_vm_rw; fs/proc/base.c mem_rw; fs/splice.c vmsplice; fs/pipe.c pipe_read, pipe_write (nothing to move → 0)',
  decide: ({ s, op }) => (op.len <= 0 ? only(s, ok({ count: 0, first: null })) : undefined),
});
/** A range before the mapping is unmapped memory (the space around a mapping is a hole): nothing can be reached. */
export const kaDead = rule<C>({
  id: 'GEN-PVM',
  cite: 'mm/process_vm_access.c process_vm_rw_core; spec/README.md dead map handles',
  decide: ({ s, op }) => (s.maps.has(op.map) && op.offset >= 0n ? undefined : only(s, err(PATHS[op.call].none))),
});
export const kaDeadMap = deadMap<C>('EFAULT');
export const kaPre = [kaDeadMap, kaEmpty, kaDead] as const;

export const map34Fact = fact('MAP-34', 'MAP-34; arch/x86/lib/copy_user_64.S (a user copy stops exactly at the faulting byte), v7.2');
export const dmap20 = fact('DMAP-20', 'DMAP-20; S12 (NO_DIRECT_MAP refuses GUP, not user copies; obs:GUP-S-00..17 for memfd_secret)');

/** ok { count, first } of a transfer out of the mapping: its first byte as the state after the faults holds it. */
export const readOut = (after: SpecState, mapId: number, map: Mapping, offset: bigint, count: number, also: Decision['also']): Decision => {
  const mp = Number(offset >> 12n);
  const first = readByte(after, mapId, mp, map.pgoff + mp, Number(offset & 4095n));
  // The count is the path's (this rule or what stopped it); the byte read is the page's (./content.ts).
  if (first !== UNKNOWN) return owningByte(andThen(ok({ count, first }), () => after, also), after.inodes.get(map.inode)!, first, ['value', 'first']);
  const any = Array.from({ length: 256 }, (_, v) => [ok({ count, first: v }), () => after] as const);
  return cases(any, 'SHR-8 / P-CONV-CONTENT: the byte was left unspecified by a conversion', also);
};

/**
 * The decision for one access: where it stops (gupStop with the path's reach), how many bytes it
 * reports, what it writes and faults in, and its first byte.
 */
const transfer = (c: M, how: Path, rule0: Rule<never>): Decision => {
  const { p, s, op, map } = c;
  const a = Number(op.offset >> 12n);
  const end = op.offset + BigInt(op.len);
  let b = Number((end + 4095n) >> 12n);
  // vmsplice takes at most the pages the pipe holds; the ones after are never looked at.
  if (how.pipeCap && b - a > PIPE_PAGES) b = a + PIPE_PAGES;
  const limit = how.pipeCap ? BigInt(b) * 4096n : end;
  const decide = (g: GupStop): Decision => {
    const stopByte = g.stop >= b ? limit : BigInt(g.stop) * 4096n;
    const reached = (stopByte < end ? stopByte : end) - op.offset;
    const moved = reached > 0n ? Number(reached) : 0;
    // A pipe copy reports whole buffers only (fs/pipe.c: a short copy of a buffer ends the call).
    const count = how.chunks && stopByte < end ? Math.floor(moved / 4096) * 4096 : moved;
    const also = [...(g.why === null ? [rule0] : [g.why, rule0]), ...(how.reach === 'copy' && c.ino.noDirectMap ? [dmap20] : [])];
    const faulted = (): ReturnType<typeof gupFaultIn> => faultAroundAtEof(gupFaultIn(s, op.map, a, Math.min(g.stop, b), how.reach, !how.into), op.map, g, b, !how.into);
    if (how.into) {
      // Every byte before the stop is written, counted or not (the failing pipe buffer's head).
      const next = () => gupWrite(faulted(), op.map, op.offset, moved, op.value);
      return andThen(count === 0 ? err(how.none) : ok({ count, first: op.value }), next, also);
    }
    if (count === 0) return andThen(err(how.none), faulted, also);
    return readOut(faulted(), op.map, map, op.offset, count, also);
  };
  const forced = gupEither(gupStop(p, s, map, a, b, how.into, how.reach), decide);
  if (how.reach !== 'force') return forced;
  // FOLL_FORCE is a build and boot choice (proc_mem.force_override): without it /proc/self/mem
  // honours the VMA's permissions like any GUP. Where that changes the answer, both are conforming.
  const plain = gupStop(p, s, map, a, b, how.into, 'gup');
  return plain.why?.id === 'GEN-GUP-PROT' ? eitherOf(forced, gupEither(plain, decide), 'MAP-31: whether /proc/self/mem forces past the VMA permissions is the kernel\'s proc_mem.force_override setting') : forced;
};

/** MAP-9: process_vm_readv/writev, remote side: GUP page by page; a short count at the first page it cannot pin. */
export const map9Access = rule<M>({
  id: 'MAP-9',
  cite: 'MAP-9, DMAP-5; mm/process_vm_access.c (partial count) (obs:GUP-G-00..17, GUP-P-00..17)',
  decide: (c) => (c.op.call === 'process_vm_readv' || c.op.call === 'process_vm_writev' ? transfer(c, PATHS[c.op.call], map9) : undefined),
});
export const map31Fact = fact('MAP-31', 'MAP-31; fs/proc/base.c mem_rw, mm/memory.c __access_remote_vm, v7.2');
/** MAP-31: /proc/self/mem: GUP with FOLL_FORCE, EIO when nothing moved. */
export const map31 = rule<M>({
  id: 'MAP-31',
  cite: 'MAP-31; fs/proc/base.c mem_rw (FOLL_FORCE under proc_mem.force_override=always, EIO if nothing moved); mm/gup.c check_vma_flags (FORCE write only breaks COW), v7.2',
  decide: (c) => (c.op.call === 'proc_mem_read' || c.op.call === 'proc_mem_write' ? transfer(c, PATHS[c.op.call], map31Fact) : undefined),
});
export const map33Fact = fact('MAP-33', 'MAP-33; fs/splice.c vmsplice_to_pipe, iter_to_pipe, v7.2');
/** MAP-33: vmsplice takes page references through GUP (read), up to what the pipe holds. */
export const map33 = rule<M>({
  id: 'MAP-33',
  cite: 'MAP-33; fs/splice.c iter_to_pipe (iov_iter_get_pages2: GUP for read; stops when the pipe is full), v7.2',
  decide: (c) => (c.op.call === 'vmsplice' ? transfer(c, PATHS.vmsplice, map33Fact) : undefined),
});
/** MAP-34: user copies through the page tables: pipe read/write and the local side of process_vm_*. */
export const map34 = rule<M>({
  id: 'MAP-34',
  cite: 'MAP-34, DMAP-20; fs/pipe.c pipe_read, pipe_write (a short buffer copy ends the call); mm/process_vm_access.c process_vm_rw_pages (local side: copy_page_to_iter), v7.2',
  decide: (c) => transfer(c, PATHS[c.op.call], map34Fact),
});
export const kaMapChain = [map9Access, map31, map33, map34] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  kernelAccess: (p, s, o) => onMap({ p, s, op: o }, kaPre, o.map, kaMapChain),
} satisfies Steps;
