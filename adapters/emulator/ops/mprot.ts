/**
 * mprotect of a range of a mapping (do_mprotect_pkey). The emulator's addresses are those of
 * mlock.ts (the mapping at base 0, nothing else mapped), so a start below the mapping or past its
 * pages meets no VMA, and a range running past its end meets a hole after changing its pages. The
 * protection lives per run of pages (ops/../prot.ts): the VMA split of mprotect_fixup.
 */
import { PROT, err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { asU64, P, TASK_SIZE, U64 } from '../i64.js';
import { setProt } from '../prot.js';

const SEM = 0x8n;
const GROWSDOWN = 0x01000000n;
const GROWSUP = 0x02000000n;
const RWX = BigInt(PROT.READ | PROT.WRITE | PROT.EXEC);

export const mprotectRange = (k: Kernel, op: OpOf<'mprotectRange'>): Outcome => {
  const m = k.liveMap(op.map);
  // A dead map is not issued (spec/vocab/CONVENTIONS.md): ENOMEM, as for the whole-map mprotect.
  if (!m) return err('ENOMEM');
  const gmem = m.inode.kind === 'gmem';
  const grows = op.prot & (GROWSDOWN | GROWSUP);
  // Bug: the prot word is read as an int, so bits 32..63 never reach arch_validate_prot.
  const word = gmem && k.bug('mprotect-range-prot-int') ? BigInt.asUintN(32, op.prot) : op.prot;
  const prot = word & ~(GROWSDOWN | GROWSUP);
  if (grows === (GROWSDOWN | GROWSUP)) return err('EINVAL');
  const start = asU64(op.offset);
  if (start % P !== 0n) return err('EINVAL');
  const len = asU64(op.length);
  if (len === 0n) return ok();
  const alen = ((len + P - 1n) / P * P) % U64;
  // A start below the mapping is an address just below it (no wrap), where nothing is mapped. For
  // the wrap the mapping's base reads as TASK_SIZE: every real base lies far above 0, and an end
  // within TASK_SIZE of 2^64 then wraps as it does on a real machine with a high base.
  if (alen === 0n || (op.offset >= 0n && start + alen + TASK_SIZE >= U64)) return err('ENOMEM');
  if ((prot & ~(RWX | SEM)) !== 0n) return err('EINVAL');
  if (op.offset < 0n) return err('ENOMEM');
  const first = start / P;
  if (first >= BigInt(m.npages)) return err('ENOMEM');
  if (grows !== 0n) return err('EINVAL');
  if ((prot & BigInt(PROT.EXEC)) !== 0n && gmem) return err('EACCES');
  const want = (start + alen) / P;
  const a = Number(first);
  // Bug: the VMA is not split: the whole gmem VMA takes the new protection.
  const whole = gmem && k.bug('mprotect-range-whole-vma');
  const e = whole || want >= BigInt(m.npages) ? m.npages : Number(want);
  setProt(m, whole ? 0 : a, e, Number(prot & RWX));
  // Bug: the hole after the gmem VMA is not reported.
  if (want > BigInt(m.npages) && !(gmem && k.bug('mprotect-range-hole-ok'))) return err('ENOMEM');
  return ok();
};
