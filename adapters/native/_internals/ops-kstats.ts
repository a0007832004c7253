/**
 * KVM_GET_STATS_FD and kpageflags (issue 15, round 5; spec/vocab/ops-kstats.ts): gm_kvm_stats opens the stats
 * file of the VM or vCPU, reads and checks it, and closes it again; this turns its answer into the
 * outcome. Only the VM's or vCPU's own fd reaches the kernel (a dead handle passes -1: EBADF); the
 * stats file is the kernel's, read into a buffer of the wrapper's.
 */
import { KPAGE_FLAGS, KVM_STATS_KEYS, STATS_READ_AT, STATS_WRITE, err, errnoName, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { TargetBrokenError } from '../../../spec/vocab/errors.js';
import type { Ctx } from './context.js';
import { fromRc } from './outcomes.js';
import { pageEnd, withinMap } from './addrspace.js';
import { GM_BAD_ARG, GM_NO_SCRATCH } from './ops-fd.js';

const countOrErrno = (r: number): number | string => (r < 0 ? errnoName(-r) : r);

export const kvmStats = (c: Ctx, op: OpOf<'kvmStats'>): Outcome => {
  const fd = op.on.kind === 'vm' ? c.t.vmFd(op.on.vm) : c.t.vcpu(op.on.vcpu);
  const r = c.b.kvmStats(fd, STATS_READ_AT[op.at], STATS_WRITE[op.write]);
  if (r === GM_NO_SCRATCH || r === GM_BAD_ARG) throw new TargetBrokenError(`kvmStats: harness code ${r} (no read buffer, or an enum out of range)`);
  if (typeof r === 'number') return fromRc(r);
  const [id, layout, has, small, huge, readAt, write] = r;
  return ok({
    id, layout,
    has: KVM_STATS_KEYS.filter((_, i) => ((has >>> i) & 1) === 1),
    pages: op.on.kind === 'vm' && small >= 0 && huge >= 0 ? { small: small !== 0, huge: huge !== 0 } : null,
    readAt: countOrErrno(readAt),
    write: countOrErrno(write),
  });
};

/**
 * kpageflags/kpagecount of the page at a map offset. Only an offset inside the live mapping's own
 * pages reaches the kernel (its pagemap entry, then the PFN that entry names): anywhere else no page
 * of the test is mapped, so the answer is null without asking — the PFN of whatever else lives
 * there is never looked up.
 */
export const kpageFlags = (c: Ctx, op: OpOf<'kpageFlags'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return err('EFAULT');
  if (op.offset < 0n || op.offset >= pageEnd(m) - m.base) return ok(null);
  const addr = m.base + op.offset;
  if (!withinMap(m, addr, 1n)) throw new TargetBrokenError(`kpageFlags: offset ${op.offset} placed outside map #${op.map}`);
  const r = c.b.kpageFlags(addr);
  if (r === GM_NO_SCRATCH) throw new TargetBrokenError('kpageFlags: pagemap hides PFNs (the native target needs CAP_SYS_ADMIN for this op)');
  if (r < 0) return fromRc(r);
  if (r === 0) return ok(null);
  return ok({ flags: KPAGE_FLAGS.filter((_, i) => ((r >> (i + 1)) & 1) === 1), count: Math.floor(r / 65536) });
};
