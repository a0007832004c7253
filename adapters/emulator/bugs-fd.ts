/**
 * Zoo bugs of the fd-level calls (issue 15): each a plausible kernel change that breaks one rule of
 * spec/catalogue/surface-fd-rules.ts on a guest_memfd file, with its shortest counterexample
 * (G = createGmem on vm 0 with fd 0). Spread into ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const FD_BUGS = [
  // createVm; G; fileIoV(preadv2, offset 0, rwf bit 31) → ESPIPE expected, EOPNOTSUPP with the bug.
  { id: 'rwf-checked-before-mode', description: 'preadv2/pwritev2 validate the RWF word before the file mode (EOPNOTSUPP instead of ESPIPE)', domain: 'fileops', rule: 'FIO-20', needs: '', shortest: 3 },
  // createVm; G; lseek(0, whence 0x80000000) → EINVAL expected, ESPIPE with the bug.
  { id: 'lseek-whence-signed', description: 'lseek compares the whence as a signed int, so bit 31 reaches the file', domain: 'fileops', rule: 'FIO-21', needs: '', shortest: 3 },
  // createVm; G; spliceLike(spliceOut, NULL, 1) → EINVAL expected, a byte with the bug.
  { id: 'gmem-splice-read', description: 'gmem gains splice_read: splice and sendfile out of it return page-cache bytes', domain: 'fileops', rule: 'FIO-25', needs: '', shortest: 3 },
  // createVm; G; fdMeta(fchown) → EINVAL expected, ok with the bug.
  { id: 'gmem-setattr-chown-noop', description: 'fchown(-1, -1) on gmem returns 0 as a no-op instead of reaching kvm_gmem_setattr', domain: 'fileops', rule: 'FIO-23', needs: '', shortest: 3 },
  // createVm; G; fcntl(F_SETLEASE, F_WRLCK) → EAGAIN expected, granted with the bug.
  { id: 'lease-wrlck-granted', description: 'the pseudo file counts its own write access, so a write lease on gmem is granted', domain: 'fileops', rule: 'LIFE-13', needs: '', shortest: 3 },
  // createVm; G; fcntl(F_SETLEASE, 2^32) → F_RDLCK granted expected (argi), EINVAL with the bug.
  { id: 'fcntl-arg-64bit', description: 'F_SETLEASE compares the whole unsigned long: a lease type with bit 32 set is refused', domain: 'fileops', rule: 'LIFE-13', needs: '', shortest: 3 },
  // createVm; G; fcntl(F_SETFL, O_DIRECT) → EINVAL expected, ok with the bug.
  { id: 'setfl-odirect-accepted', description: 'F_SETFL accepts O_DIRECT on gmem although it has no FMODE_CAN_ODIRECT', domain: 'fileops', rule: 'LIFE-11', needs: '', shortest: 3 },
  // createVm; G; fdReach(reopenRdwr) → ENXIO expected, ok with the bug.
  { id: 'reopen-procfd-opens', description: 'the gmem inode gets a real i_fop, so /proc/self/fd/N re-opens it', domain: 'fileops', rule: 'LIFE-16', needs: '', shortest: 3 },
] as const satisfies readonly BugInfo[];
