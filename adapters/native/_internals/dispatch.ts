/** One line per op kind: ts-pattern's exhaustive() makes a new op kind a compile error here. */
import { match } from 'ts-pattern';
import type { Op, Outcome } from '../../../spec/vocab/index.js';
import { TargetBrokenError } from '../../errors.js';
import type { Ctx } from './context.js';
import * as kvm from './ops-kvm.js';
import * as files from './ops-files.js';
import * as mm from './ops-mm.js';
import * as uffd from './ops-uffd.js';
import { access } from './ops-access.js';

/** Why guest-side ops cannot be observed here (this-kernel.md finding 1, kernel-rules.md ENV-4). */
export const GUEST_UNSUPPORTED =
  'kvm_pvm emulates every guest instruction and reaches guest RAM only through the memslot userspace_addr, ' +
  'never through guest_memfd (this-kernel.md finding 1, kernel-rules.md ENV-4: NOT-OBS on this host)';

const guest = (kind: string): never => {
  throw new TargetBrokenError(`native target cannot issue ${kind}: ${GUEST_UNSUPPORTED}`);
};

export const dispatch = (c: Ctx, op: Op): Outcome =>
  match(op)
    .with({ kind: 'createVm' }, (o) => kvm.createVm(c, o))
    .with({ kind: 'closeVm' }, (o) => kvm.closeVm(c, o))
    .with({ kind: 'checkExtension' }, (o) => kvm.checkExtension(c, o))
    .with({ kind: 'createGmem' }, (o) => files.createGmem(c, o))
    .with({ kind: 'createMemfd' }, (o) => files.createMemfd(c, o))
    .with({ kind: 'close' }, (o) => files.close(c, o))
    .with({ kind: 'dup' }, (o) => files.dup(c, o))
    .with({ kind: 'fstat' }, (o) => files.fstat(c, o))
    .with({ kind: 'fdFlags' }, (o) => files.fdFlags(c, o))
    .with({ kind: 'sameInode' }, (o) => files.sameInode(c, o))
    .with({ kind: 'fileIo' }, (o) => files.fileIo(c, o))
    .with({ kind: 'ftruncate' }, (o) => files.ftruncate(c, o))
    .with({ kind: 'fallocate' }, (o) => files.fallocate(c, o))
    .with({ kind: 'mmap' }, (o) => mm.mmap(c, o))
    .with({ kind: 'munmap' }, (o) => mm.munmap(c, o))
    .with({ kind: 'mprotect' }, (o) => mm.mprotect(c, o))
    .with({ kind: 'load' }, (o) => access(c, o))
    .with({ kind: 'store' }, (o) => access(c, o))
    .with({ kind: 'madvise' }, (o) => mm.madvise(c, o))
    .with({ kind: 'kernelAccess' }, (o) => mm.kernelAccess(c, o))
    .with({ kind: 'mincore' }, (o) => mm.mincore(c, o))
    .with({ kind: 'setMemoryRegion' }, (o) => kvm.setMemoryRegion(c, o))
    .with({ kind: 'mbind' }, (o) => mm.mbind(c, o))
    .with({ kind: 'getMempolicy' }, (o) => mm.getMempolicy(c, o))
    .with({ kind: 'setMempolicy' }, (o) => mm.setMempolicy(c, o))
    .with({ kind: 'uffdCreate' }, (o) => uffd.uffdCreate(c, o))
    .with({ kind: 'uffdRegister' }, (o) => uffd.uffdRegister(c, o))
    .with({ kind: 'uffdResolve' }, (o) => uffd.uffdResolve(c, o))
    .with({ kind: 'convert' }, (o) => files.convert(c, o))
    .with({ kind: 'setMemoryAttributes' }, (o) => kvm.setMemoryAttributes(c, o))
    .with({ kind: 'guestAccess' }, (o) => guest(o.kind))
    .with({ kind: 'guestMapLevel' }, (o) => guest(o.kind))
    .exhaustive();
