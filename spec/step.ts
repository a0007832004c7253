/**
 * The dispatcher: one line per op kind, each naming the chain of rules that decides it
 * (kernel check order). Pure: the state is never mutated; `next` builds the new one.
 *
 * The ts-pattern match is the single definition of the dispatch (and `.exhaustive()` proves
 * every op kind is handled). It only looks at `kind`, so it is evaluated once per kind into a
 * frozen table: building 32 match branches on every step would cost more than the step itself
 * (the runner needs > 100k ops/s).
 */
import { match } from 'ts-pattern';
import { OP_KINDS, type Op, type OpKind, type OpOf, type Profile } from './vocab/index.js';
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

type Handler = (p: Profile, s: SpecState, op: Op) => Verdict<SpecState>;
const h = <K extends OpKind>(f: (p: Profile, s: SpecState, o: OpOf<K>) => Verdict<SpecState>): Handler => f as Handler;

const handlerFor = (op: Op): Handler =>
  match(op)
    .with({ kind: 'createVm' }, () => h<'createVm'>((p, s, o) => must({ p, s, op: o }, createVmChain)))
    .with({ kind: 'closeVm' }, () => h<'closeVm'>((p, s, o) => must({ p, s, op: o }, closeVmChain)))
    .with({ kind: 'checkExtension' }, () => h<'checkExtension'>((p, s, o) => must({ p, s, op: o }, checkExtChain)))
    .with({ kind: 'createGmem' }, () => h<'createGmem'>((p, s, o) => must({ p, s, op: o }, createGmemChain)))
    .with({ kind: 'createMemfd' }, () => h<'createMemfd'>((p, s, o) => must({ p, s, op: o }, createMemfdChain)))
    .with({ kind: 'close' }, () => h<'close'>((p, s, o) => must({ p, s, op: o }, closeChain)))
    .with({ kind: 'dup' }, () => h<'dup'>((p, s, o) => must({ p, s, op: o }, dupChain)))
    .with({ kind: 'fstat' }, () => h<'fstat'>((p, s, o) => must({ p, s, op: o }, fstatChain)))
    .with({ kind: 'fdFlags' }, () => h<'fdFlags'>((p, s, o) => must({ p, s, op: o }, fdFlagsChain)))
    .with({ kind: 'sameInode' }, () => h<'sameInode'>((p, s, o) => must({ p, s, op: o }, sameInodeChain)))
    .with({ kind: 'fileIo' }, () => h<'fileIo'>((p, s, o) => onFile({ p, s, op: o }, ioPreChain, o.fd, (f) => (f.ino.kind === 'gmem' ? gmemIoChain : SHMEM_IO))))
    .with({ kind: 'ftruncate' }, () => h<'ftruncate'>((p, s, o) => onFile({ p, s, op: o }, ftruncPre, o.fd, () => ftruncFileChain)))
    .with({ kind: 'fallocate' }, () => h<'fallocate'>((p, s, o) => onFile({ p, s, op: o }, fallocPre, o.fd, (f) => (f.ino.kind === 'gmem' ? gmemFallocChain : SHMEM_FALLOC))))
    .with({ kind: 'mmap' }, () => h<'mmap'>((p, s, o) => onFile({ p, s, op: o }, mmapPre, o.fd, () => mmapFileChain)))
    .with({ kind: 'munmap' }, () => h<'munmap'>((p, s, o) => must({ p, s, op: o }, munmapChain)))
    .with({ kind: 'mprotect' }, () => h<'mprotect'>((p, s, o) => onMap({ p, s, op: o }, mprotectPre, o.map, mprotectMapChain)))
    .with({ kind: 'load' }, () => h<'load'>((p, s, o) => hostAccess({ p, s, op: o })))
    .with({ kind: 'store' }, () => h<'store'>((p, s, o) => hostAccess({ p, s, op: o })))
    .with({ kind: 'madvise' }, () => h<'madvise'>((p, s, o) => onMap({ p, s, op: o }, madvisePre, o.map, madviseMapChain)))
    .with({ kind: 'kernelAccess' }, () => h<'kernelAccess'>((p, s, o) => onMap({ p, s, op: o }, kaPre, o.map, kaMapChain)))
    .with({ kind: 'mincore' }, () => h<'mincore'>((p, s, o) => onMap({ p, s, op: o }, mincorePre, o.map, mincoreMapChain)))
    .with({ kind: 'setMemoryRegion' }, () => h<'setMemoryRegion'>((p, s, o) => must({ p, s, op: o }, SLOT_CHAIN)))
    .with({ kind: 'mbind' }, () => h<'mbind'>((p, s, o) => onMap({ p, s, op: o }, mbindPre, o.map, mbindMapChain)))
    .with({ kind: 'getMempolicy' }, () => h<'getMempolicy'>((p, s, o) => onMap({ p, s, op: o }, getPolPre, o.map, getPolMapChain)))
    .with({ kind: 'setMempolicy' }, () => h<'setMempolicy'>((p, s, o) => must({ p, s, op: o }, setPolChain)))
    .with({ kind: 'uffdCreate' }, () => h<'uffdCreate'>((p, s, o) => must({ p, s, op: o }, uffdCreateChain)))
    .with({ kind: 'uffdRegister' }, () => h<'uffdRegister'>((p, s, o) => onMap({ p, s, op: o }, regPre, o.map, regMapChain)))
    .with({ kind: 'uffdResolve' }, () => h<'uffdResolve'>((p, s, o) => onMap({ p, s, op: o }, resPre, o.map, resMapChain)))
    .with({ kind: 'convert' }, () => h<'convert'>((p, s, o) => onFile({ p, s, op: o }, convPre, o.fd, () => convFileChain)))
    .with({ kind: 'setMemoryAttributes' }, () => h<'setMemoryAttributes'>((p, s, o) => must({ p, s, op: o }, attrChain)))
    .with({ kind: 'guestAccess' }, () => h<'guestAccess'>((p, s, o) => must({ p, s, op: o }, GUEST_CHAIN)))
    .with({ kind: 'guestMapLevel' }, () => h<'guestMapLevel'>((p, s, o) => must({ p, s, op: o }, levelChain)))
    .exhaustive();

const TABLE: Readonly<Record<OpKind, Handler>> = Object.freeze(
  Object.fromEntries(OP_KINDS.map((kind) => [kind, handlerFor({ kind } as Op)])) as Record<OpKind, Handler>,
);

/** The spec's answer to one op in one state. */
export const step = (p: Profile, s: SpecState, op: Op): Verdict<SpecState> => TABLE[op.kind](p, s, op);
