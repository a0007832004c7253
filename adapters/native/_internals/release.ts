/** Releasing everything one Ctx owns (used by NativeTarget.close() and by the probe's scratch ctx). */
import type { Ctx } from './context.js';
import { releasePins } from './ops-pin.js';

/** How long close() waits for a stuck userfault helper thread once its uffd is closed. */
const REAP_MS = 1000;

/**
 * Order: the real guests (their vCPUs hold the VMs), pins (io_uring rings, pipes), mappings, then
 * uffds (drops registrations), then files, VMs and the /dev/kvm fd. If a userfault helper thread is
 * still blocked (uffd.cc), the uffds go first instead: closing them wakes it, and its page is already
 * PROT_NONE, so its access faults. A map whose thread still has not ended stays mapped (PROT_NONE,
 * for the life of the process): unmapping it would let the access land in whatever is mapped at that
 * address next.
 */
export const releaseCtx = (c: Ctx): void => {
  for (const g of c.t.guests.values()) c.b.guestDestroy(g);
  c.t.guests.clear();
  if (c.t.scratch) {
    c.b.guestDestroy(c.t.scratch.guest);
    c.b.closeAsync([c.t.scratch.vmFd]);
    c.t.scratch = undefined;
  }
  const pinned = new Set<number>();
  releasePins(c);
  let pinAll = false;
  if (c.stuck.length > 0 || c.stuckRuns.length > 0) {
    for (const fd of c.t.uffds.values()) c.b.close(fd);
    c.t.uffds.clear();
    for (const s of c.stuck) if (!c.b.reapStuck(s.id, REAP_MS)) pinned.add(s.map);
    c.stuck.length = 0;
    // A parallel run's blocked thread may touch any mapping of the case.
    for (const id of c.stuckRuns) if (!c.b.parReap(id, REAP_MS)) pinAll = true;
    c.stuckRuns.length = 0;
  }
  for (const [h, m] of c.t.maps) {
    if (m.live && !pinned.has(h) && !pinAll) c.b.munmap(m.base, m.length);
    m.live = false;
  }
  if (!pinAll) for (const [start, len] of c.t.orphans) c.b.munmap(start, len);
  c.t.orphans.length = 0;
  for (const fd of c.t.uffds.values()) c.b.close(fd);
  for (const fd of c.t.fds.values()) c.b.close(fd);
  for (const fd of c.t.vcpus.values()) c.b.close(fd);
  // VM teardown waits for RCU/SRCU grace periods; the closer thread does it (src/closer.cc).
  c.b.closeAsync([...c.t.vms.values()]);
  c.b.close(c.kvmFd);
  if (c.dio !== undefined) c.b.close(c.dio);
  c.dio = undefined;
  c.t.uffds.clear();
  c.t.fds.clear();
  c.t.vcpus.clear();
  c.t.vcpuVm.clear();
  c.t.vcpuZero.clear();
  c.t.vms.clear();
  c.t.regs = [];
  if (c.mempolicyTouched) c.b.setMempolicy(0, 0n); // MPOL_DEFAULT for the JS thread again
};
