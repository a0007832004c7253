/**
 * Zoo bugs of the fd and memslot calls of round 4 (issue 15; spec/vocab/ops-kvmfd.ts): each a
 * plausible kernel change that breaks one rule these ops check, with its shortest counterexample
 * (G = createGmem on vm 0 with fd 0). Spread into ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const KVMFD_BUGS = [
  // createVm; G; fdWatch(fallocate KEEP_SIZE 0..P) → ok { events: 0 } expected, one IN_MODIFY with the bug.
  { id: 'gmem-fallocate-notifies', description: 'the gmem file is created with fsnotify on, so fallocate through it raises IN_MODIFY', domain: 'lifetime', rule: 'FIO-26', needs: '', shortest: 3 },
  // createVm; G(MMAP); setMemoryRegion(gmem, LOG_DIRTY would be refused: the bug lets a gmem slot have a bitmap anyway); dirtyLog(get) → ENOENT expected.
  { id: 'dirty-log-gmem-bitmap', description: 'a gmem slot is given a dirty bitmap: KVM_GET_DIRTY_LOG on it returns 0', domain: 'memslot', rule: 'SLOT-26', needs: '', shortest: 4 },
  // createVm; dirtyLog(get, slot 1 << 16) → EINVAL expected (one address space on 6.18's kvm_pvm; upstream: a private-memory VM), ENOENT with the bug.
  { id: 'dirty-log-as-unchecked', description: 'the dirty-log ioctls look the slot up without checking its address-space id (a missing slot: ENOENT instead of EINVAL)', domain: 'memslot', rule: 'SLOT-26', needs: '', shortest: 2 },
  // createVm; G; fdExecCheck → EACCES expected, ok with the bug.
  { id: 'gmem-exec-allowed', description: 'the gmem mount lacks SB_I_NOEXEC, so an exec check (and an exec) of the gmem file passes the open for execution', domain: 'lifetime', rule: 'LIFE-15', needs: '', shortest: 3 },
] as const satisfies readonly BugInfo[];
