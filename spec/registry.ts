/** ALL_RULES: every rule and cited fact the spec can name, for the meta test and reports. */
import type { Rule } from './rule.js';
import * as vm from './creation/vm.js';
import * as caps from './creation/caps.js';
import * as gmem from './creation/gmem.js';
import * as memfd from './creation/memfd.js';
import * as fd from './fileops/fd.js';
import * as fileio from './fileops/fileio.js';
import * as populate from './fileops/populate.js';
import * as shmemIo from './fileops/shmem-io.js';
import * as ftrunc from './fileops/ftruncate.js';
import * as falloc from './fileops/fallocate.js';
import * as fallocEffect from './fileops/falloc-effect.js';
import * as mmap from './mmap/mmap.js';
import * as munmap from './mmap/munmap.js';
import * as access from './mmap/access.js';
import * as accessFault from './mmap/access-fault.js';
import * as content from './mmap/content.js';
import * as loadStore from './mmap/load-store.js';
import * as gup from './mmap/gup.js';
import * as kaccess from './mmap/kernel-access.js';
import * as madvise from './mmap/madvise.js';
import * as mincore from './mmap/mincore.js';
import * as checks from './memslot/checks.js';
import * as region from './memslot/region.js';
import * as bind from './memslot/bind.js';
import * as mbind from './mempolicy/mbind.js';
import * as getpol from './mempolicy/getpolicy.js';
import * as ucreate from './uffd/create.js';
import * as ureg from './uffd/register.js';
import * as ures from './uffd/resolve.js';
import * as ufault from './uffd/fault.js';
import * as asplit from './mmap/access-split.js';
import * as psplit from './fileops/punch-split.js';
import * as faround from './mmap/fault-around.js';
import * as rsplit from './uffd/resolve-split.js';
import * as convert from './shareability/convert.js';
import * as gaccess from './guest/access.js';
import * as glevel from './guest/level.js';
import * as release from './lifetime/release.js';
import * as dmap from './directmap/rules.js';
import * as futex from './mmap/futex.js';
import * as dio from './mmap/direct-io.js';
import * as fdLseek from './fdcalls/lseek.js';
import * as fdIov from './fdcalls/iov.js';
import * as fdMeta from './fdcalls/meta.js';
import * as fdFcntl from './fdcalls/fcntl.js';
import * as fdSplice from './fdcalls/splice.js';
import * as fdPass from './fdcalls/pass.js';
import * as vcpuCreate from './vcpu/create.js';
import * as vcpuMisuse from './vcpu/misuse.js';
import * as vcpuPreFault from './vcpu/prefault.js';
import * as fdDup from './fdcalls/dup.js';
import * as fdIoctl from './fdcalls/ioctl.js';
import * as fdAdvise from './fdcalls/advise.js';
import * as fdPoll from './fdcalls/poll.js';
import * as fdUring from './fdcalls/uring.js';
import * as fdPath from './fdcalls/path.js';
import * as pins from './mmap/pins.js';
import * as mlock from './mmap/mlock.js';
import * as mmapEx from './mmap/mmap-ex.js';
import * as child from './fork/child.js';
import * as umove from './uffd/move.js';
import * as obsPagemap from './observe/pagemap.js';
import * as obsSmaps from './observe/smaps.js';
import * as obsFdInfo from './observe/fdinfo.js';
import * as vmaName from './mmap/vma-name.js';
import * as munmapPart from './mmap/munmap-part.js';
import * as mprotectRange from './mmap/mprotect-range.js';
import * as fdWatch from './fdcalls/watch.js';
import * as dirtyLog from './memslot/dirty-log.js';
import * as fdExec from './fdcalls/exec.js';
import * as numaSurface from './mempolicy/numa-surface.js';
import * as obsProcmap from './observe/procmap.js';
import * as obsPagemapScan from './observe/pagemap-scan.js';
import * as obsMapFiles from './observe/map-files.js';
import * as uwp from './uffd/writeprotect.js';
import * as uwpFault from './uffd/wp-fault.js';
import * as mremap from './mmap/mremap.js';
import * as homeNode from './mempolicy/home-node.js';
import * as memslotPads from './memslot/pads.js';
import * as kvmStats from './observe/kvm-stats.js';
import * as kpageFlags from './observe/kpageflags.js';
import * as upoison from './uffd/poison.js';
import * as copyRange from './fdcalls/copy-range.js';
import * as span from './mmap/span.js';

export interface RuleEntry {
  readonly id: string;
  readonly cite: string;
}

const isRule = (x: unknown): x is Rule<never> =>
  typeof x === 'object' && x !== null && !Array.isArray(x) &&
  typeof (x as { id?: unknown }).id === 'string' && typeof (x as { cite?: unknown }).cite === 'string';

const MODULES: readonly object[] = [
  vm, caps, gmem, memfd, fd, fileio, populate, shmemIo, ftrunc, falloc, fallocEffect, mmap, munmap, access, accessFault, content,
  loadStore, gup, kaccess, madvise, mincore, checks, region, bind, mbind, getpol, ucreate, ureg, ures, ufault, asplit, psplit, rsplit, faround, convert,
  gaccess, glevel, release, dmap,
  futex, dio, pins, mlock, mmapEx,
  fdLseek, fdIov, fdMeta, fdFcntl, fdSplice, fdPass,
  vcpuCreate, vcpuMisuse, vcpuPreFault,
  fdDup, fdIoctl, fdAdvise, fdPoll, fdUring, fdPath,
  child, umove,
  obsPagemap, obsSmaps, obsFdInfo,
  vmaName,
  munmapPart,
  mprotectRange,
  fdWatch, dirtyLog, fdExec,
  numaSurface,
  obsProcmap, obsPagemapScan, obsMapFiles,
  uwp, uwpFault,
  mremap,
  homeNode, memslotPads,
  kvmStats, kpageFlags,
  upoison,
  copyRange,
  span,
];

/** One entry per rule object (an id may appear more than once, with different citations). */
export const ALL_RULES: readonly RuleEntry[] = Object.freeze(
  MODULES.flatMap((m) => Object.values(m).filter(isRule)).map((r) => Object.freeze({ id: r.id, cite: r.cite })),
);
