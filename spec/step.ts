/**
 * The dispatcher: one line per op kind, each naming the chain of rules that decides it
 * (kernel check order). Pure: the state is never mutated; `next` builds the new one.
 */
import { match } from 'ts-pattern';
import type { Op, Profile } from './vocab/index.js';
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

export const step = (p: Profile, s: SpecState, op: Op): Verdict<SpecState> =>
  match(op)
    .with({ kind: 'createVm' }, (o) => must({ p, s, op: o }, createVmChain))
    .with({ kind: 'closeVm' }, (o) => must({ p, s, op: o }, closeVmChain))
    .with({ kind: 'checkExtension' }, (o) => must({ p, s, op: o }, checkExtChain))
    .with({ kind: 'createGmem' }, (o) => must({ p, s, op: o }, createGmemChain))
    .with({ kind: 'createMemfd' }, (o) => must({ p, s, op: o }, createMemfdChain))
    .with({ kind: 'close' }, (o) => must({ p, s, op: o }, closeChain))
    .with({ kind: 'dup' }, (o) => must({ p, s, op: o }, dupChain))
    .with({ kind: 'fstat' }, (o) => must({ p, s, op: o }, fstatChain))
    .with({ kind: 'fdFlags' }, (o) => must({ p, s, op: o }, fdFlagsChain))
    .with({ kind: 'sameInode' }, (o) => must({ p, s, op: o }, sameInodeChain))
    .with({ kind: 'fileIo' }, (o) => onFile({ p, s, op: o }, ioPreChain, o.fd, (f) => (f.ino.kind === 'gmem' ? gmemIoChain : [shmemIo])))
    .with({ kind: 'ftruncate' }, (o) => onFile({ p, s, op: o }, ftruncPre, o.fd, () => ftruncFileChain))
    .with({ kind: 'fallocate' }, (o) => onFile({ p, s, op: o }, fallocPre, o.fd, (f) => (f.ino.kind === 'gmem' ? gmemFallocChain : [shmemFalloc])))
    .with({ kind: 'mmap' }, (o) => onFile({ p, s, op: o }, mmapPre, o.fd, () => mmapFileChain))
    .with({ kind: 'munmap' }, (o) => must({ p, s, op: o }, munmapChain))
    .with({ kind: 'mprotect' }, (o) => onMap({ p, s, op: o }, mprotectPre, o.map, mprotectMapChain))
    .with({ kind: 'load' }, (o) => hostAccess({ p, s, op: o }))
    .with({ kind: 'store' }, (o) => hostAccess({ p, s, op: o }))
    .with({ kind: 'madvise' }, (o) => onMap({ p, s, op: o }, madvisePre, o.map, madviseMapChain))
    .with({ kind: 'kernelAccess' }, (o) => onMap({ p, s, op: o }, kaPre, o.map, kaMapChain))
    .with({ kind: 'mincore' }, (o) => onMap({ p, s, op: o }, mincorePre, o.map, mincoreMapChain))
    .with({ kind: 'setMemoryRegion' }, (o) => must({ p, s, op: o }, [...slotArgChain, ...slotStateChain]))
    .with({ kind: 'mbind' }, (o) => onMap({ p, s, op: o }, mbindPre, o.map, mbindMapChain))
    .with({ kind: 'getMempolicy' }, (o) => onMap({ p, s, op: o }, getPolPre, o.map, getPolMapChain))
    .with({ kind: 'setMempolicy' }, (o) => must({ p, s, op: o }, setPolChain))
    .with({ kind: 'uffdCreate' }, (o) => must({ p, s, op: o }, uffdCreateChain))
    .with({ kind: 'uffdRegister' }, (o) => onMap({ p, s, op: o }, regPre, o.map, regMapChain))
    .with({ kind: 'uffdResolve' }, (o) => onMap({ p, s, op: o }, resPre, o.map, resMapChain))
    .with({ kind: 'convert' }, (o) => onFile({ p, s, op: o }, convPre, o.fd, () => convFileChain))
    .with({ kind: 'setMemoryAttributes' }, (o) => must({ p, s, op: o }, attrChain))
    .with({ kind: 'guestAccess' }, (o) => must({ p, s, op: o }, [...guestChain, viaUaddrRule]))
    .with({ kind: 'guestMapLevel' }, (o) => must({ p, s, op: o }, levelChain))
    .exhaustive();
