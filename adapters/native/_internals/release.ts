/** Releasing everything one Ctx owns (used by NativeTarget.close() and by the probe's scratch ctx). */
import type { Ctx } from './context.js';

/** Order: guests (their vCPUs hold the VMs), mappings, uffds (drops registrations), files, VMs, /dev/kvm. */
export const releaseCtx = (c: Ctx): void => {
  for (const g of c.t.guests.values()) c.b.guestDestroy(g);
  c.t.guests.clear();
  if (c.t.scratch) {
    c.b.guestDestroy(c.t.scratch.guest);
    c.b.close(c.t.scratch.vmFd);
    c.t.scratch = undefined;
  }
  for (const m of c.t.maps.values()) {
    if (m.live) c.b.munmap(m.base, m.length);
    m.live = false;
  }
  for (const fd of c.t.uffds.values()) c.b.close(fd);
  for (const fd of c.t.fds.values()) c.b.close(fd);
  // VM teardown waits for RCU/SRCU grace periods; the closer thread does it (src/closer.cc).
  c.b.closeAsync([...c.t.vms.values()]);
  c.b.close(c.kvmFd);
  c.t.uffds.clear();
  c.t.fds.clear();
  c.t.vms.clear();
  c.t.regs = [];
  if (c.mempolicyTouched) c.b.setMempolicy(0, 0n); // MPOL_DEFAULT for the JS thread again
};
