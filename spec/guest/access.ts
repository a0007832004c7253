/** A one-byte guest access at a GPA (SLOT-11, SLOT-13, SLOT-14, UFD-10, ENV-4). */
import { MEM, ok, type Outcome } from '../vocab/index.js';
import { cases, fact, only, rule, andThen, type Decision } from '../rule.js';
import type { Ctx } from '../ctx.js';
import { ebadf, vmDead } from '../lifetime/handles.js';
import { imGet, imSet } from '../state/imap.js';
import { UNKNOWN, byteOf, writeBytes } from '../state/bytes.js';
import { folio } from '../state/folio.js';
import { withInode, withVm } from '../state/update.js';
import type { SpecState } from '../state/types.js';
import { routeOf } from './route.js';
import { slot28, viaUaddr } from './uaddr.js';
export { slot28 };
import { dmap3, goneAtUse } from '../directmap/rules.js';
import { owningByte } from '../mmap/content.js';
import { must, type Steps } from '../run.js';

type C = Ctx<'guestAccess'>;

export const guestDead = ebadf<C>(({ s, op }) => vmDead(s, op.vm));

export const mmioExit = (gpa: bigint): Outcome => ({ kind: 'exit', reason: 'MMIO', gpa });
export const memFault = (gpa: bigint): Outcome => ({ kind: 'exit', reason: 'MEMORY_FAULT', gpa: gpa & ~4095n, private: false });

/**
 * GEN-GUEST-MMIO: no memslot covers the GPA, or a write hits a READONLY slot (KVM emulates it
 * as MMIO). READONLY cannot be combined with GUEST_MEMFD (SLOT-2), so only plain slots qualify.
 */
export const noSlot = rule<C>({
  id: 'GEN-GUEST-MMIO',
  cite: 'arch/x86/kvm/mmu/mmu.c kvm_faultin_pfn / handle_mmio_page_fault (no slot; write to a KVM_MEM_READONLY slot)',
  decide: ({ p, s, op }) => {
    const r = routeOf(p, s, s.vms.get(op.vm)!, op.gpa);
    const roWrite = r.kind !== 'none' && op.write && (r.slot.flags & MEM.READONLY) !== 0;
    return r.kind === 'none' || roWrite ? only(s, mmioExit(op.gpa)) : undefined;
  },
});

export const ufd10 = fact('UFD-10', 'UFD-10; S1 kvm_gmem_get_pfn (guest faults never raise userfaults)');
export const lvl2 = fact('LVL-2', 'LVL-2; S1 kvm_gmem_get_pfn (*max_order = 0)');
export const slot14 = fact('SLOT-14', 'SLOT-14; S3 test_guest_memfd_guest (one set of pages)');

/** SLOT-11: the bound file is gone → KVM_RUN fails with a MEMORY_FAULT exit. */
export const slot11Guest = rule<C>({
  id: 'SLOT-11',
  cite: 'SLOT-11; S1 kvm_gmem_get_pfn (-EFAULT once the file is released)',
  decide: ({ p, s, op }) => {
    const r = routeOf(p, s, s.vms.get(op.vm)!, op.gpa);
    return r.kind === 'gmem' && r.slot.gmem !== null && !s.inodes.has(r.slot.gmem.inode) ? only(s, memFault(op.gpa)) : undefined;
  },
});

/** SLOT-13/14: served from guest_memfd: the page is allocated and prepared (zeroed once), and mapped 4K. */
export const slot13 = rule<C>({
  id: 'SLOT-13',
  cite: 'SLOT-13, SLOT-14, LVL-2, UFD-10; S1 kvm_gmem_get_pfn, kvm_gmem_prepare_folio; S15',
  decide: ({ p, s, op }): Decision | undefined => {
    const vm = s.vms.get(op.vm)!;
    const r = routeOf(p, s, vm, op.gpa);
    if (r.kind !== 'gmem' || r.slot.gmem === null) return undefined;
    const ino = s.inodes.get(r.slot.gmem.inode)!;
    const f = imGet(ino.folios, r.fp);
    const want = folio(true, goneAtUse(ino) || (f?.dmapGone ?? false), f?.maybeLarge ?? false);
    const off = Number(op.gpa & 4095n);
    const gfn = Number(op.gpa >> 12n);
    const mapped = (st: SpecState): SpecState => {
      const v = st.vms.get(op.vm)!;
      return withVm(st, op.vm, { ...v, sptes: imSet(v.sptes, gfn, gfn + 1, true) });
    };
    const folios = f === want ? ino.folios : imSet(ino.folios, r.fp, r.fp + 1, want);
    const data = f?.uptodate === true ? ino.data : imSet(ino.data, r.fp, r.fp + 1, undefined);
    const also = [slot14, lvl2, ufd10, ...(ino.noDirectMap ? [dmap3] : [])];
    if (op.write) {
      return andThen(ok({ value: op.value }), () => mapped(withInode(s, { ...ino, folios, data: writeBytes(data, r.fp, off, off + 1, op.value) })), also);
    }
    const next = () => mapped(withInode(s, { ...ino, folios, data }));
    const b = byteOf(data, r.fp, off);
    // The byte read is FIO-11's when it must be zero, else SLOT-14's (host and guest share one set of pages).
    if (b !== UNKNOWN) return owningByte(andThen(ok({ value: b }), next, also), ino, b, ['value', 'value'], slot14);
    return cases(Array.from({ length: 256 }, (_, v) => [ok({ value: v }), next] as const), 'SHR-8: unspecified contents after conversion', also);
  },
});

/** Otherwise the access goes through userspace_addr (./uaddr.ts). */
export const viaUaddrRule = rule<C>({
  id: 'ENV-4',
  cite: 'ENV-4, SLOT-13, §4 P-GUEST-PATH (obs:ST-12, ST-62, ST-16/66); arch/x86/kvm/mmu/mmu.c kvm_handle_error_pfn (v7.2: a userspace_addr GUP cannot fault is EFAULT)',
  decide: (c) => viaUaddr(c),
});

export const guestChain = [guestDead, noSlot, slot11Guest, slot13] as const;

const GUEST_CHAIN = [...guestChain, slot28, viaUaddrRule];

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  // Whatever the access answers, the VM has now run guest code (LVL-10 reads that).
  guestAccess: (p, s, o) => {
    const v = must({ p, s, op: o }, GUEST_CHAIN);
    return { ...v, next: (observed: Outcome) => {
      const n = v.next(observed);
      const vm = n.vms.get(o.vm);
      return vm === undefined || vm.guestRan ? n : withVm(n, o.vm, { ...vm, guestRan: true });
    } };
  },
} satisfies Steps;
