/**
 * The fd and memslot calls of round 4 (issue 15; spec/vocab/ops-kvmfd.ts), modelled on the kernel
 * paths they take: inotify around a fallocate (the file is a pseudo file, created without
 * notifications), the dirty-log ioctls of a memslot.
 */
import { err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { fallocate } from './fallocate.js';
import { hasPrivateMem } from '../caps.js';

/** Both files are pseudo files (alloc_file_pseudo: FMODE_NONOTIFY), so fsnotify_modify queues nothing. */
export const fdWatch = (k: Kernel, op: OpOf<'fdWatch'>): Outcome => {
  const r = fallocate(k, { kind: 'fallocate', fd: op.fd, mode: op.mode, offset: op.offset, len: op.len });
  if (r.kind !== 'ok') return r;
  const f = k.fds.get(op.fd);
  // Bug: the gmem file is made with notifications on, so a successful fallocate raises IN_MODIFY.
  return ok({ events: k.bug('gmem-fallocate-notifies') && f?.inode.kind === 'gmem' ? 1 : 0 });
};

const KVM_MEM_LOG_DIRTY_PAGES = 1;

/**
 * kvm_get_dirty_log_protect / kvm_clear_dirty_log_protect: CLEAR's alignment first, then the
 * slot number, then the bitmap (allocated only for a plain slot logging dirty pages), then CLEAR's
 * range. No vCPU of the model writes guest memory through a plain slot, so there is nothing to report.
 */
export const dirtyLog = (k: Kernel, op: OpOf<'dirtyLog'>): Outcome => {
  const vm = k.liveVm(op.vm);
  if (!vm) return err('EBADF');
  const clear = op.call === 'clear';
  if (clear && op.firstPage % 64n !== 0n) return err('EINVAL');
  const key = op.slot >>> 0;
  const asBad = key >>> 16 >= (hasPrivateMem(vm.type) ? 1 : k.profile.caps.addressSpaces) && !k.bug('dirty-log-as-unchecked');
  if (asBad || (key & 0xffff) >= k.profile.caps.nrMemslots) return err('EINVAL');
  const slot = vm.slots.get(key);
  // A gmem slot can never log dirty pages (SLOT-2). Bug: it is given a bitmap anyway.
  const bitmap = slot !== undefined && (slot.gmem === null ? (slot.flags & KVM_MEM_LOG_DIRTY_PAGES) !== 0 : k.bug('dirty-log-gmem-bitmap'));
  if (!slot || !bitmap) return err('ENOENT');
  if (clear) {
    const n = BigInt(slot.npages);
    const first = op.firstPage;
    const num = BigInt(op.numPages);
    if (first > n || num > n - first || (num < n - first && num % 64n !== 0n)) return err('EINVAL');
  }
  return ok();
};

/**
 * execveat(AT_EMPTY_PATH | AT_EXECVE_CHECK): do_open_execat's may_open, then the permission. The
 * gmem mount is noexec; memfd's shmem mount is not, and the model runs as root (CAP_DAC_OVERRIDE:
 * any x bit will do).
 */
export const fdExecCheck = (k: Kernel, op: OpOf<'fdExecCheck'>): Outcome => {
  const f = k.fds.get(op.fd);
  if (!f) return err('EBADF');
  // Bug: the gmem mount is made without SB_I_NOEXEC, and the inode's mode (0600 on 6.18's anon inodes; any x bit here) lets exec through.
  if (f.inode.kind === 'gmem') return k.bug('gmem-exec-allowed') ? ok() : err('EACCES');
  return ((f.inode.mode ?? 0o100777) & 0o111) !== 0 ? ok() : err('EACCES');
};
