/**
 * The dispatcher: each rule module exports the handlers of the op kinds it decides (`steps`, each
 * naming its rule chain in kernel check order), and this table is their union. Pure: the state is
 * never mutated; `next` builds the new one.
 *
 * The table is built once by an exhaustive ts-pattern match over the op kinds, one arm per module
 * (spec/vocab/dispatch.ts): a kind no module handles does not compile, and a step costs one
 * lookup. A new op in an existing module needs no edit here.
 */
import { match, P } from 'ts-pattern';
import type { Op, Profile } from './vocab/index.js';
import { handledBy, kindTable } from './vocab/dispatch.js';
import type { Verdict } from './verdict.js';
import type { SpecState } from './state/types.js';
import { steps as vm } from './creation/vm.js';
import { steps as caps } from './creation/caps.js';
import { steps as gmem } from './creation/gmem.js';
import { steps as memfd } from './creation/memfd.js';
import { steps as fd } from './fileops/fd.js';
import { steps as fileio } from './fileops/fileio.js';
import { steps as ftruncate } from './fileops/ftruncate.js';
import { steps as fallocate } from './fileops/fallocate.js';
import { steps as mmap } from './mmap/mmap.js';
import { steps as mmapEx } from './mmap/mmap-ex.js';
import { steps as munmap } from './mmap/munmap.js';
import { steps as loadStore } from './mmap/load-store.js';
import { steps as madvise } from './mmap/madvise.js';
import { steps as kernelAccess } from './mmap/kernel-access.js';
import { steps as mincore } from './mmap/mincore.js';
import { steps as futex } from './mmap/futex.js';
import { steps as directIo } from './mmap/direct-io.js';
import { followPins, steps as pins } from './mmap/pins.js';
import { steps as mlock } from './mmap/mlock.js';
import { steps as region } from './memslot/region.js';
import { steps as mbind } from './mempolicy/mbind.js';
import { steps as getpolicy } from './mempolicy/getpolicy.js';
import { steps as uffdCreate } from './uffd/create.js';
import { steps as uffdRegister } from './uffd/register.js';
import { steps as uffdResolve } from './uffd/resolve.js';
import { steps as convert } from './shareability/convert.js';
import { steps as guestAccess } from './guest/access.js';
import { steps as guestLevel } from './guest/level.js';
import { steps as lseek } from './fdcalls/lseek.js';
import { steps as fileIoV } from './fdcalls/iov.js';
import { steps as fdMeta } from './fdcalls/meta.js';
import { steps as fcntl } from './fdcalls/fcntl.js';
import { steps as splice } from './fdcalls/splice.js';
import { steps as pass } from './fdcalls/pass.js';
import { steps as vcpuCreate } from './vcpu/create.js';
import { steps as vcpuMisuse } from './vcpu/misuse.js';
import { steps as preFault } from './vcpu/prefault.js';
import { steps as fdDup } from './fdcalls/dup.js';
import { steps as fdIoctl } from './fdcalls/ioctl.js';
import { steps as fdAdvise } from './fdcalls/advise.js';
import { steps as fdPoll } from './fdcalls/poll.js';
import { steps as fdUring } from './fdcalls/uring.js';
import { steps as fdPath } from './fdcalls/path.js';
import { steps as child } from './fork/child.js';
import { steps as uffdMove } from './uffd/move.js';
import { steps as pagemap } from './observe/pagemap.js';
import { steps as smaps } from './observe/smaps.js';
import { steps as fdInfo } from './observe/fdinfo.js';
import { steps as vmaName } from './mmap/vma-name.js';
import { steps as munmapPart } from './mmap/munmap-part.js';
import { steps as mprotectRange } from './mmap/mprotect-range.js';
import { steps as fdWatch } from './fdcalls/watch.js';
import { steps as dirtyLog } from './memslot/dirty-log.js';
import { steps as fdExec } from './fdcalls/exec.js';
import { steps as numaSurface } from './mempolicy/numa-surface.js';
import { steps as homeNode } from './mempolicy/home-node.js';
import { steps as memslotPads } from './memslot/pads.js';
import { steps as procmapQuery } from './observe/procmap.js';
import { steps as pagemapScan } from './observe/pagemap-scan.js';
import { steps as mapFiles } from './observe/map-files.js';
import { steps as uffdWp } from './uffd/writeprotect.js';
import { steps as mremap } from './mmap/mremap.js';
import { steps as kvmStats } from './observe/kvm-stats.js';
import { steps as kpageFlags } from './observe/kpageflags.js';
import { steps as uffdPoison } from './uffd/poison.js';
import { steps as copyRange } from './fdcalls/copy-range.js';
import { steps as spanRange } from './mmap/span.js';

type AnyHandler = (p: Profile, s: SpecState, op: Op) => Verdict<SpecState>;

const HANDLERS = kindTable((kind) =>
  match(kind)
    .with(P.when(handledBy(vm)), (k) => vm[k] as AnyHandler)
    .with(P.when(handledBy(caps)), (k) => caps[k] as AnyHandler)
    .with(P.when(handledBy(gmem)), (k) => gmem[k] as AnyHandler)
    .with(P.when(handledBy(memfd)), (k) => memfd[k] as AnyHandler)
    .with(P.when(handledBy(fd)), (k) => fd[k] as AnyHandler)
    .with(P.when(handledBy(fileio)), (k) => fileio[k] as AnyHandler)
    .with(P.when(handledBy(ftruncate)), (k) => ftruncate[k] as AnyHandler)
    .with(P.when(handledBy(fallocate)), (k) => fallocate[k] as AnyHandler)
    .with(P.when(handledBy(mmap)), (k) => mmap[k] as AnyHandler)
    .with(P.when(handledBy(mmapEx)), (k) => mmapEx[k] as AnyHandler)
    .with(P.when(handledBy(munmap)), (k) => munmap[k] as AnyHandler)
    .with(P.when(handledBy(loadStore)), (k) => loadStore[k] as AnyHandler)
    .with(P.when(handledBy(madvise)), (k) => madvise[k] as AnyHandler)
    .with(P.when(handledBy(kernelAccess)), (k) => kernelAccess[k] as AnyHandler)
    .with(P.when(handledBy(mincore)), (k) => mincore[k] as AnyHandler)
    .with(P.when(handledBy(region)), (k) => region[k] as AnyHandler)
    .with(P.when(handledBy(mbind)), (k) => mbind[k] as AnyHandler)
    .with(P.when(handledBy(getpolicy)), (k) => getpolicy[k] as AnyHandler)
    .with(P.when(handledBy(uffdCreate)), (k) => uffdCreate[k] as AnyHandler)
    .with(P.when(handledBy(uffdRegister)), (k) => uffdRegister[k] as AnyHandler)
    .with(P.when(handledBy(uffdResolve)), (k) => uffdResolve[k] as AnyHandler)
    .with(P.when(handledBy(convert)), (k) => convert[k] as AnyHandler)
    .with(P.when(handledBy(guestAccess)), (k) => guestAccess[k] as AnyHandler)
    .with(P.when(handledBy(guestLevel)), (k) => guestLevel[k] as AnyHandler)
    .with(P.when(handledBy(futex)), (k) => futex[k] as AnyHandler)
    .with(P.when(handledBy(directIo)), (k) => directIo[k] as AnyHandler)
    .with(P.when(handledBy(lseek)), (k) => lseek[k] as AnyHandler)
    .with(P.when(handledBy(fileIoV)), (k) => fileIoV[k] as AnyHandler)
    .with(P.when(handledBy(fdMeta)), (k) => fdMeta[k] as AnyHandler)
    .with(P.when(handledBy(fcntl)), (k) => fcntl[k] as AnyHandler)
    .with(P.when(handledBy(splice)), (k) => splice[k] as AnyHandler)
    .with(P.when(handledBy(pass)), (k) => pass[k] as AnyHandler)
    .with(P.when(handledBy(fdDup)), (k) => fdDup[k] as AnyHandler)
    .with(P.when(handledBy(fdIoctl)), (k) => fdIoctl[k] as AnyHandler)
    .with(P.when(handledBy(fdAdvise)), (k) => fdAdvise[k] as AnyHandler)
    .with(P.when(handledBy(fdPoll)), (k) => fdPoll[k] as AnyHandler)
    .with(P.when(handledBy(fdUring)), (k) => fdUring[k] as AnyHandler)
    .with(P.when(handledBy(fdPath)), (k) => fdPath[k] as AnyHandler)
    .with(P.when(handledBy(pins)), (k) => pins[k] as AnyHandler)
    .with(P.when(handledBy(mlock)), (k) => mlock[k] as AnyHandler)
    .with(P.when(handledBy(vcpuCreate)), (k) => vcpuCreate[k] as AnyHandler)
    .with(P.when(handledBy(vcpuMisuse)), (k) => vcpuMisuse[k] as AnyHandler)
    .with(P.when(handledBy(preFault)), (k) => preFault[k] as AnyHandler)
    .with(P.when(handledBy(child)), (k) => child[k] as AnyHandler)
    .with(P.when(handledBy(uffdMove)), (k) => uffdMove[k] as AnyHandler)
    .with(P.when(handledBy(pagemap)), (k) => pagemap[k] as AnyHandler)
    .with(P.when(handledBy(smaps)), (k) => smaps[k] as AnyHandler)
    .with(P.when(handledBy(fdInfo)), (k) => fdInfo[k] as AnyHandler)
    .with(P.when(handledBy(vmaName)), (k) => vmaName[k] as AnyHandler)
    .with(P.when(handledBy(munmapPart)), (k) => munmapPart[k] as AnyHandler)
    .with(P.when(handledBy(fdWatch)), (k) => fdWatch[k] as AnyHandler)
    .with(P.when(handledBy(dirtyLog)), (k) => dirtyLog[k] as AnyHandler)
    .with(P.when(handledBy(fdExec)), (k) => fdExec[k] as AnyHandler)
    .with(P.when(handledBy(numaSurface)), (k) => numaSurface[k] as AnyHandler)
    .with(P.when(handledBy(procmapQuery)), (k) => procmapQuery[k] as AnyHandler)
    .with(P.when(handledBy(pagemapScan)), (k) => pagemapScan[k] as AnyHandler)
    .with(P.when(handledBy(mapFiles)), (k) => mapFiles[k] as AnyHandler)
    .with(P.when(handledBy(uffdWp)), (k) => uffdWp[k] as AnyHandler)
    .with(P.when(handledBy(mremap)), (k) => mremap[k] as AnyHandler)
    .with(P.when(handledBy(homeNode)), (k) => homeNode[k] as AnyHandler)
    .with(P.when(handledBy(memslotPads)), (k) => memslotPads[k] as AnyHandler)
    .with(P.when(handledBy(mprotectRange)), (k) => mprotectRange[k] as AnyHandler)
    .with(P.when(handledBy(kvmStats)), (k) => kvmStats[k] as AnyHandler)
    .with(P.when(handledBy(kpageFlags)), (k) => kpageFlags[k] as AnyHandler)
    .with(P.when(handledBy(uffdPoison)), (k) => uffdPoison[k] as AnyHandler)
    .with(P.when(handledBy(copyRange)), (k) => copyRange[k] as AnyHandler)
    .with(P.when(handledBy(spanRange)), (k) => spanRange[k] as AnyHandler)
    .exhaustive());

/** The spec's answer to one op in one state. */
export const step = (p: Profile, s: SpecState, op: Op): Verdict<SpecState> =>
  followPins(s, HANDLERS[op.kind](p, s, op));
