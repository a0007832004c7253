/**
 * The rules of the paths that exist only with a proposed series (issue 15, docs/kernel-surface.md
 * section K and row A17): the write() population loop (FIO-29), mlock under NO_DIRECT_MAP
 * (DMAP-21) and the conversion ioctl's error_offset (SHR-23). Same format as ./surface-fd-rules.ts. The series trees are named by commit, the
 * generic code they run through is read at v7.2 (Debian's linux-source-7.2, 7.2.13).
 */
import type { RuleText } from './entry.js';

export const SURFACE_SERIES_RULES: readonly RuleText[] = [
  {
    id: 'FIO-29',
    qualifier: 'PROP write()',
    statement: 'With the write() series, a `write`, `pwrite`, `writev`, `pwritev` or `pwritev2` on a gmem file is done one page-sized piece at a time (the series sets `write_iter` to the VFS\'s generic write loop and a gmem folio is one page): each piece is judged by the gmem `write_begin` — a file without write support `ENODEV`, a piece past the size or not a whole aligned page `EINVAL`, a folio whose direct map is already gone `EEXIST` (P-WRITE=ONCE) — and the first refused piece ends the call. If pages were written before it the call returns their byte count (a short write: a 2P+1-byte write at 0 returns 2P, a write running past EOF returns the in-bounds pages); otherwise the refusal\'s errno. `write` and `writev` advance the file position by the count. A zero-length `write`/`pwrite` still runs the loop once (the VFS has no zero check on this path): the position is judged as a piece\'s, the folio there is taken and marked up to date (its direct map zapped under NO_DIRECT_MAP) and the zero-byte fault-in fails with `EFAULT` — the tree at 07a2ee4ca452 does that; a zero check would answer 0 with nothing touched, so both are allowed (the vectored calls return 0 for a zero total before the loop). `read` stays `EINVAL` and `pread` `ESPIPE` (only FMODE_LSEEK and FMODE_PWRITE are added); `splice`/`sendfile` into the file stay `EINVAL` (no `splice_write`). A write into a not-yet-up-to-date folio of a file without NO_DIRECT_MAP returns its count with the direct map intact: the series\' `write_end` calls the direct-map zap unconditionally, which WARNs and fails for such a file, and the failure is ignored (a WARN in dmesg is a bug report, the outcome is as stated).',
    status: 'PROP (S8 at 07a2ee4ca452, S23 v6); the zero-length EFAULT is DERIVED from source',
    observability: 'Y-ABSENT',
    measured: 'the write path is absent on 6.18.44: write EINVAL, pwrite ESPIPE (obs:FO-P-01..07)',
    src: 'S8 (virt/kvm/guest_memfd.c `kvm_gmem_write_begin`, `kvm_gmem_write_end`, `kvm_gmem_folio_zap_direct_map`, `kvm_gmem_fops`, `__kvm_gmem_create` f_mode), S23; mm/filemap.c `generic_perform_write` (per-chunk loop: a refused chunk breaks, `written` wins over the status; the do-while runs once for 0 bytes and `fault_in_iov_iter_readable(i, 0) == 0` gives EFAULT); fs/read_write.c `vfs_write` (no zero check), `vfs_writev` (zero total → 0); fs/splice.c `do_splice_from` (no `splice_write` → EINVAL), v7.2.',
  },
  {
    id: 'DMAP-21',
    qualifier: 'PROP NO_DIRECT_MAP',
    statement: '`mlock` and `mlock2` (MLOCK_ONFAULT too) on a NO_DIRECT_MAP gmem mapping set no VM_LOCKED (smaps `Locked: 0`, no `lo`), then fail with `ENOMEM`: `mlock_fixup` skips a VMA whose mapping has no direct map, as it skips secretmem, and the populate that `do_mlock` runs afterwards is refused by GUP (`check_vma_flags` → EFAULT, which mlock reports as ENOMEM). The ONFAULT form fails the same way because the skipped VMA never got VM_LOCKONFAULT, which is what would have made the populate a no-op. `munlock` is 0. This corrects the first proposal ("0 without VM_LOCKED", read from the v9 cover summary): memfd_secret, which the series generalises, answers ENOMEM today. A mapping made with MAP_LOCKED keeps VM_LOCKED (the mmap path is not patched) and `munlock` cannot clear it (UNVERIFIED; not modelled).',
    status: 'PROP (S12: v12 06/16 "mm: introduce AS_NO_DIRECT_MAP", the same mm/mlock.c and mm/gup.c hunks as v7 03/12); DERIVED',
    observability: 'Y-ABSENT',
    measured: 'NO_DIRECT_MAP is absent on 6.18.44 (flag bit 2 EINVAL); memfd_secret: mlock ENOMEM (obs:GUP-S-16)',
    src: 'S12; "[PATCH v12 06/16] mm: introduce AS_NO_DIRECT_MAP" (Nikita Kalyazin, 10 Apr 2026) and "[PATCH v7 03/12] mm: introduce AS_NO_DIRECT_MAP" (Patrick Roy, 24 Sep 2025): `mlock_fixup` tests `vma_has_no_direct_map`, `check_vma_flags` refuses it; mm/mlock.c `do_mlock`, `__mlock_posix_error_return`; mm/gup.c `__mm_populate`, `populate_vma_page_range`, v7.2.',
  },
  {
    id: 'SHR-23',
    qualifier: 'PROP v8',
    statement: 'The conversion ioctl input-checks `error_offset`: a non-zero value on entry is `EINVAL` (v8 checks it right after `flags`, before `reserved`, the attributes and the range; RFC v2 first of all; every later check is `EINVAL` too, so only the ENOTTY of a kernel or file without the ioctl and a dead fd come before it). The field is written back only when the call fails after validation — `EAGAIN` with the offset of the first page still referenced (SHR-21), `ENOMEM` from the attribute tree\'s preallocation with the range start — and never on success. A caller cannot tell "written back unchanged" from "not written" except by the errno: the native target and the reproducer send the op\'s `errorOffsetIn` (0 as a VMM sends it) and report the field for `EAGAIN`, and for any other failure that changed it. Both sides are encoded: `convert` carries `errorOffsetIn` (a trace or token recorded before the field reads it as 0), SHR-21\'s `EAGAIN` carries the offset, a success never does.',
    status: 'PROP v8 (RFC v5 11/53); RFC v2 (S20)',
    observability: 'Y-ABSENT',
    measured: 'the ioctl is absent on 6.18.44 (ENOTTY, obs:FD-26..29)',
    src: '"[PATCH RFC v5 11/53] KVM: guest_memfd: Ensure pages are not in use before conversion" (Ackerley Tng, 28 Apr 2026): `kvm_gmem_set_attributes` (`flags`, then `if (attrs.error_offset) return -EINVAL`; copy back on error only); S20 `kvm_gmem_ioctl_convert_range` (`error_offset` checked first; written back on error).',
  },
];
