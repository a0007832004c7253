/** UFFDIO_WRITEPROTECT (UFD-20; gm_uffd_writeprotect). */
import { PAGE_SIZE, err } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { TargetLimitError } from '../../../spec/vocab/errors.js';
import { USER_TOP, addrOf, place } from './addrspace.js';
import type { Ctx } from './context.js';
import { fromRc } from './outcomes.js';

/**
 * Placed as UFFDIO_REGISTER is (ops-uffd.ts): a range that starts in the mapping and passes the
 * argument checks as a whole acts on the mapping's own pages only — what the isolated address
 * space the spec assumes answers (the gap after the mapping has no VMA; the walk skips it); a
 * range that fails them is issued as given, where the kernel refuses it before any VMA; a start
 * outside the mapping is issued in the dead zone, where no VMA is (ENOENT). A dead map is not
 * issued (EFAULT, spec/vocab/CONVENTIONS.md).
 */
export const uffdWriteProtect = (c: Ctx, op: OpOf<'uffdWriteProtect'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return err('EFAULT');
  const uffd = c.t.uffd(op.uffd);
  const p = place(c.vq, m, op.offset, op.length, c.deadZone, { split: true });
  const argsOk = op.length > 0n && op.length % PAGE_SIZE === 0n && (p.kind !== 'split' || p.addr + op.length <= USER_TOP);
  if (p.kind === 'split' && !argsOk) return fromRc(c.b.uffdWriteProtect(uffd, addrOf(m, op.offset), op.length, op.mode));
  if (p.kind === 'none') throw new TargetLimitError(`uffdWriteProtect: no place where [map ${op.map} + ${op.offset}, +${op.length}) reaches nothing but the mapping; the op was not run`);
  return fromRc(c.b.uffdWriteProtect(uffd, p.addr, p.kind === 'split' ? p.ownLen : op.length, op.mode));
};
