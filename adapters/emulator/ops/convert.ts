/**
 * Shareability conversion (SHR-1..10). The gmem-fd ioctls exist only with the conversion series and
 * the matching P-CONV-API; otherwise every ioctl on a gmem fd is ENOTTY (SHR-0). The VM-level
 * KVM_SET_MEMORY_ATTRIBUTES is ENOTTY where not compiled in (6.18 on type 0), else validated.
 */
import { err, MEMORY_ATTRIBUTE_PRIVATE, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { hasPrivateMem } from '../caps.js';
import { aligned, asU64, P, U64 } from '../i64.js';
import { deleteKeys, truncateRange } from '../pagecache.js';
import type { Inode } from '../state.js';
import { hostShared } from '../share.js';

export const convert = (k: Kernel, op: OpOf<'convert'>): Outcome => {
  const t = convertTarget(k, op);
  if ('kind' in t) return t;
  const pinned = pinnedConversion(k, t.inode, t.s, t.e, op.toPrivate);
  if (pinned) return pinned;
  convertPages(k, t.inode, t.s, t.e, op.toPrivate);
  return ok();
};

/** The checks before anything changes: the file and its page range [s, e), or the outcome. */
export const convertTarget = (k: Kernel, op: OpOf<'convert'>): Outcome | { readonly inode: Inode; readonly s: number; readonly e: number } => {
  const f = k.fds.get(op.fd);
  if (!f) return err('EBADF');
  const p = k.profile;
  if (f.inode.kind !== 'gmem' || !p.features.conversion || p.variants.convApi !== op.api) return err('ENOTTY');
  const inode = f.inode;
  // SHR-23: the caller's error_offset must go in as 0 (v8: after flags, before reserved; RFC v2: first).
  if (op.errorOffsetIn !== 0n && !k.bug('convert-error-offset-unchecked')) return err('EINVAL');
  // SHR-3 order (flags and reserved are zero here): a VM without private memory → EINVAL.
  if (op.api === 'GMEM-ATTR2' && !(inode.vm && hasPrivateMem(inode.vm.type))) return err('EINVAL');
  // RFC v2 (SHR-10): converting needs a file that may be shared at all (SUPPORT_SHARED = bit 0).
  if (op.api === 'GMEM-CONVERT' && (inode.flags & 1n) === 0n) return err('EINVAL');
  const off = asU64(op.offset);
  const len = asU64(op.len);
  // RFC v2 answers an empty range with 0 before looking at it; v8 refuses it.
  if (len === 0n && op.api === 'GMEM-CONVERT') return ok();
  if (len === 0n || off + len >= U64) return err('EINVAL');
  if (!aligned(off) || !aligned(len)) return err('EINVAL');
  if (off + len > inode.size) return err('EINVAL');
  return { inode, s: Number(off / P), e: Number((off + len) / P) };
};

/**
 * SHR-21/SHR-22: a conversion to private over a page a long-term pin holds. P-CONV-PINS=BLOCK: the
 * kernel breaks the references and the conversion goes on (undefined); otherwise the range is unmapped
 * first, then the reference check fails at the held page: EAGAIN with its offset (and under
 * P-CONV-ATOMIC=PREFIX-CONVERTED the pages before it already converted).
 */
export const pinnedConversion = (k: Kernel, inode: Inode, s: number, e: number, toPrivate: boolean): Outcome | undefined => {
  if (!toPrivate || k.pins.size === 0 || k.bug('convert-ignores-pins')) return undefined;
  const held = firstHeld(k, inode, s, e);
  if (held === undefined) return undefined;
  if (k.profile.variants.convPins === 'BLOCK') {
    replaceHeld(k, inode, s, e);
    return undefined;
  }
  if (k.profile.variants.convAtomic === 'PREFIX-CONVERTED' && held > s) {
    truncateRange(k, inode, s, held, { zap: true, drop: false });
    contentAfterConversion(k, inode, s, held, true);
    inode.attrs.set(s, held, true);
  }
  // Bug: the reference check runs before the unmap, so a refused conversion leaves the PTEs.
  if (!k.bug('conv-eagain-keeps-ptes')) for (const m of inode.maps) k.work += deleteKeys(m.ptes, s, e);
  return { kind: 'errno', errno: 'EAGAIN', errorOffset: BigInt(held) * P };
};

/** The conversion of pages [s, e): zap what must go, adjust contents, flip the attribute. */
export const convertPages = (k: Kernel, inode: Inode, s: number, e: number, toPrivate: boolean): void => {
  // Guest mappings of the range are invalidated either way; host PTEs only when going private (SHR-4).
  truncateRange(k, inode, s, e, { zap: toPrivate && !k.bug('convert-keeps-pte'), drop: false });
  contentAfterConversion(k, inode, s, e, toPrivate);
  inode.attrs.set(s, e, toPrivate);
};

/** The first page in [s, e) whose page-cache folio a pin holds (kvm_gmem_is_safe_for_conversion's extra reference). */
const firstHeld = (k: Kernel, inode: Inode, s: number, e: number): number | undefined => {
  let best: number | undefined;
  for (const p of k.pins.values()) {
    if (p.inode !== inode) continue;
    p.folios.forEach((f, i) => {
      const page = p.fpage + i;
      if (page >= s && page < e && inode.folios.get(page) === f && (best === undefined || page < best)) best = page;
    });
  }
  return best;
};

/** P-CONV-PINS=BLOCK: the kernel breaks the references: the file gets copies, the pins keep the old folios. */
const replaceHeld = (k: Kernel, inode: Inode, s: number, e: number): void => {
  for (const p of k.pins.values()) {
    if (p.inode !== inode) continue;
    p.folios.forEach((f, i) => {
      const page = p.fpage + i;
      if (page >= s && page < e && inode.folios.get(page) === f) inode.folios.set(page, { ...f, data: f.data ? f.data.slice() : null });
    });
  }
};

/**
 * P-CONV-CONTENT: PRESERVE keeps bytes; ZERO clears them; UNSPECIFIED is emulated as PRESERVE.
 * Runs before the attribute changes: a page already in the requested state is left alone, since
 * converting to the state a page already has is a no-op (SHR-7).
 */
const contentAfterConversion = (k: Kernel, inode: Inode, s: number, e: number, toPrivate: boolean): void => {
  if (k.profile.variants.convContent !== 'ZERO') return;
  const zero = (f: { data: Uint8Array | null }, p: number): void => {
    if (hostShared(k, inode, p) === toPrivate) f.data = null;
  };
  if (inode.folios.size < e - s) {
    for (const [p, f] of inode.folios) if (p >= s && p < e) zero(f, p);
  } else for (let p = s; p < e; p += 1) {
    const f = inode.folios.get(p);
    if (f) zero(f, p);
  }
};

/** kvm_vm_ioctl_set_mem_attributes: flags 0; attributes ⊆ supported; size > 0, aligned, no wrap. */
export const setMemoryAttributes = (k: Kernel, op: OpOf<'setMemoryAttributes'>): Outcome => {
  const vm = k.liveVm(op.vm);
  if (!vm) return err('EBADF');
  const p = k.profile;
  const vmAttr = p.features.conversion && p.variants.convApi === 'VM-ATTR';
  // The ioctl exists only where generic memory attributes are compiled in: a non-zero cap 233 (on
  // /dev/kvm or a VM), a VM type with private memory, or the VM-ATTR conversion model (6.18 here:
  // ENOTTY; Debian's 7.2 builds it for SEV: a type-0 VM then supports no attribute, SHR-1).
  const compiled = p.caps.memoryAttributes !== 0 || p.caps.memoryAttributesDevKvm !== 0 || vmAttr || p.caps.vmTypes.some(hasPrivateMem);
  if (!compiled) return err('ENOTTY');
  const inPlace = p.features.conversion && p.variants.convApi !== 'VM-ATTR';
  const supported = (hasPrivateMem(vm.type) || vmAttr) && !inPlace ? MEMORY_ATTRIBUTE_PRIVATE : 0n;
  if (op.attributes < 0n) return err('EINVAL');
  if (op.attributes & ~supported) return err('EINVAL');
  const gpa = asU64(op.gpa);
  const size = asU64(op.size);
  if (size === 0n || gpa + size >= U64 || !aligned(gpa) || !aligned(size)) return err('EINVAL');
  const s = Number(gpa / P);
  const e = Number((gpa + size) / P);
  const priv = (op.attributes & MEMORY_ATTRIBUTE_PRIVATE) !== 0n;
  vm.attrs.set(s, e, priv);
  if (vm.sptes.size > 0) deleteKeys(vm.sptes, s, e);
  return ok();
};
