/**
 * The dispatcher: one line per op kind, each naming the chain of rules that decides it
 * (kernel check order). Pure: the state is never mutated; `next` builds the new one.
 *
 * The typed handler table is the project's one dispatch style (the emulator and the native target
 * dispatch the same way): the mapped type makes a missing or extra kind a compile error, which is
 * what ts-pattern's `.exhaustive()` gives, at the cost of a property lookup per step.
 */
import type { Op, OpKind, OpOf, Profile } from './vocab/index.js';
import type { Verdict } from './verdict.js';
import type { SpecState } from './state/types.js';
import { must, onFile, onMap } from './run.js';
import { createVmChain, closeVmChain } from './creation/vm.js';
import { checkExtChain } from './creation/caps.js';
import { createGmemChain } from './creation/gmem.js';
import { createMemfdChain } from './creation/memfd.js';
import { closeChain, dupChain, fdFlagsChain, fstatChain, sameInodeChain } from './fileops/fd.js';
import { gmemIoChain, ioPreChain } from './fileops/fileio.js';
import { shmemIo } from './fileops/shmem-io.js';
import { ftruncFileChain, ftruncPre } from './fileops/ftruncate.js';
import { fallocPre, gmemFallocChain, shmemFalloc } from './fileops/fallocate.js';
import { mmapFileChain, mmapPre } from './mmap/mmap.js';
import { munmapChain, mprotectMapChain, mprotectPre } from './mmap/munmap.js';
import { hostAccess } from './mmap/load-store.js';
import { madviseMapChain, madvisePre } from './mmap/madvise.js';
import { kaMapChain, kaPre } from './mmap/kernel-access.js';
import { mincoreMapChain, mincorePre } from './mmap/mincore.js';
import { slotArgChain } from './memslot/checks.js';
import { slotStateChain } from './memslot/region.js';
import { mbindMapChain, mbindPre } from './mempolicy/mbind.js';
import { getPolMapChain, getPolPre, setPolChain } from './mempolicy/getpolicy.js';
import { uffdCreateChain } from './uffd/create.js';
import { regMapChain, regPre } from './uffd/register.js';
import { resMapChain, resPre } from './uffd/resolve.js';
import { attrChain, convFileChain, convPre } from './shareability/convert.js';
import { guestChain, viaUaddrRule } from './guest/access.js';
import { levelChain } from './guest/level.js';

const SHMEM_IO = [shmemIo];
const SHMEM_FALLOC = [shmemFalloc];
const SLOT_CHAIN = [...slotArgChain, ...slotStateChain];
const GUEST_CHAIN = [...guestChain, viaUaddrRule];

type Handlers = { readonly [K in OpKind]: (p: Profile, s: SpecState, op: OpOf<K>) => Verdict<SpecState> };

const HANDLERS: Handlers = {
  createVm: (p, s, o) => must({ p, s, op: o }, createVmChain),
  closeVm: (p, s, o) => must({ p, s, op: o }, closeVmChain),
  checkExtension: (p, s, o) => must({ p, s, op: o }, checkExtChain),
  createGmem: (p, s, o) => must({ p, s, op: o }, createGmemChain),
  createMemfd: (p, s, o) => must({ p, s, op: o }, createMemfdChain),
  close: (p, s, o) => must({ p, s, op: o }, closeChain),
  dup: (p, s, o) => must({ p, s, op: o }, dupChain),
  fstat: (p, s, o) => must({ p, s, op: o }, fstatChain),
  fdFlags: (p, s, o) => must({ p, s, op: o }, fdFlagsChain),
  sameInode: (p, s, o) => must({ p, s, op: o }, sameInodeChain),
  fileIo: (p, s, o) => onFile({ p, s, op: o }, ioPreChain, o.fd, (f) => (f.ino.kind === 'gmem' ? gmemIoChain : SHMEM_IO)),
  ftruncate: (p, s, o) => onFile({ p, s, op: o }, ftruncPre, o.fd, () => ftruncFileChain),
  fallocate: (p, s, o) => onFile({ p, s, op: o }, fallocPre, o.fd, (f) => (f.ino.kind === 'gmem' ? gmemFallocChain : SHMEM_FALLOC)),
  mmap: (p, s, o) => onFile({ p, s, op: o }, mmapPre, o.fd, () => mmapFileChain),
  munmap: (p, s, o) => must({ p, s, op: o }, munmapChain),
  mprotect: (p, s, o) => onMap({ p, s, op: o }, mprotectPre, o.map, mprotectMapChain),
  load: (p, s, o) => hostAccess({ p, s, op: o }),
  store: (p, s, o) => hostAccess({ p, s, op: o }),
  madvise: (p, s, o) => onMap({ p, s, op: o }, madvisePre, o.map, madviseMapChain),
  kernelAccess: (p, s, o) => onMap({ p, s, op: o }, kaPre, o.map, kaMapChain),
  mincore: (p, s, o) => onMap({ p, s, op: o }, mincorePre, o.map, mincoreMapChain),
  setMemoryRegion: (p, s, o) => must({ p, s, op: o }, SLOT_CHAIN),
  mbind: (p, s, o) => onMap({ p, s, op: o }, mbindPre, o.map, mbindMapChain),
  getMempolicy: (p, s, o) => onMap({ p, s, op: o }, getPolPre, o.map, getPolMapChain),
  setMempolicy: (p, s, o) => must({ p, s, op: o }, setPolChain),
  uffdCreate: (p, s, o) => must({ p, s, op: o }, uffdCreateChain),
  uffdRegister: (p, s, o) => onMap({ p, s, op: o }, regPre, o.map, regMapChain),
  uffdResolve: (p, s, o) => onMap({ p, s, op: o }, resPre, o.map, resMapChain),
  convert: (p, s, o) => onFile({ p, s, op: o }, convPre, o.fd, () => convFileChain),
  setMemoryAttributes: (p, s, o) => must({ p, s, op: o }, attrChain),
  guestAccess: (p, s, o) => must({ p, s, op: o }, GUEST_CHAIN),
  guestMapLevel: (p, s, o) => must({ p, s, op: o }, levelChain),
};

/** The spec's answer to one op in one state. */
export const step = (p: Profile, s: SpecState, op: Op): Verdict<SpecState> =>
  (HANDLERS[op.kind] as (p: Profile, s: SpecState, op: Op) => Verdict<SpecState>)(p, s, op);
