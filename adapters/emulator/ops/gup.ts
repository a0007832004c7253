/** process_vm_readv/writev on our own pid (GUP, MAP-9) and mincore (MAP-13). */
import { err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { gupPage } from '../gup.js';
import { aligned } from '../i64.js';

/** Bytes move page by page; a failing page ends the copy: a short count, or EFAULT if nothing moved. */
export const kernelAccess = (k: Kernel, op: OpOf<'kernelAccess'>): Outcome => {
  const m = k.liveMap(op.map);
  if (!m || op.offset < 0n) return err('EFAULT');
  if (op.len <= 0) return ok({ count: 0, first: null });
  const write = op.call === 'process_vm_writev';
  let count = 0;
  let first: number | null = null;
  let at = op.offset;
  const end = op.offset + BigInt(op.len);
  while (at < end) {
    const mp = Number(at / 4096n);
    const folio = mp < m.npages ? gupPage(k, m, mp, write) : null;
    if (!folio) break;
    const from = Number(at % 4096n);
    const to = end - BigInt(mp) * 4096n >= 4096n ? 4096 : Number(end % 4096n);
    if (write) {
      folio.data ??= new Uint8Array(4096);
      folio.data.fill(op.value & 0xff, from, to);
    }
    first ??= folio.data ? folio.data[from]! : 0;
    count += to - from;
    at = BigInt(mp + 1) * 4096n;
  }
  return count === 0 ? err('EFAULT') : ok({ count, first });
};

/**
 * mincore: start must be page-aligned (EINVAL), the range mapped (ENOMEM). A page is resident if
 * this VMA maps it or its page-cache folio is up to date: fallocated-only pages are not (MAP-13).
 */
export const mincore = (k: Kernel, op: OpOf<'mincore'>): Outcome => {
  // Dead map: not issued; EFAULT before anything else (spec/vocab/CONVENTIONS.md).
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  if (!aligned(op.offset) || op.offset < 0n) return err('EINVAL');
  if (op.pages <= 0) return ok([]);
  const s = Number(op.offset / 4096n);
  if (s + op.pages > m.npages) return err('ENOMEM');
  const out: boolean[] = [];
  for (let mp = s; mp < s + op.pages; mp += 1) {
    const page = m.pgoff + mp;
    if (m.ptes.has(page) || m.anon.has(page)) {
      out.push(true);
      continue;
    }
    const f = m.inode.folios.get(page);
    out.push((f?.uptodate ?? m.inode.alloc.get(page)?.uptodate ?? false) || (m.inode.kind === 'gmem' && k.bug('mincore-fallocated') && m.inode.alloc.has(page)));
  }
  return ok(out);
};
