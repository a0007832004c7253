/**
 * A one-byte host load or store through a mapping, in the order the fault path decides:
 * no VMA (SIGSEGV MAPERR), VMA permissions (MAP-16), an installed PTE or private copy (no fault),
 * past EOF (MAP-4 / shmem: SIGBUS), a private offset (MAP-5, SHR-5, UFD-9), a userfault
 * (UFD-4/5, shmem), and otherwise a normal fault that allocates a zeroed page (MAP-5, FIO-11).
 */
import { PROT, type Outcome, type Profile, type UffdResolveHow } from '../vocab/index.js';
import { cases, rule, type Decision } from '../rule.js';
import { imGet } from '../state/imap.js';
import type { Inode, Mapping, SpecState } from '../state/types.js';
import { faultIn, perform, readByte } from './page-io.js';
import { protOf } from './prot-at.js';
import { owningByte } from './content.js';
import { faultAround } from './fault-around.js';
import { isShared } from '../shareability/shared.js';

export interface Acc {
  readonly p: Profile;
  readonly s: SpecState;
  readonly mapId: number;
  readonly map: Mapping;
  readonly ino: Inode;
  readonly offset: bigint;
  /** Map page, file page, byte within the page. */
  readonly mp: number;
  readonly fp: number;
  readonly off: number;
  readonly write: boolean;
  readonly value: number;
  readonly how: UffdResolveHow;
  readonly fill: number;
}

/** si_addr − base wraps modulo 2^64: an offset ≥ 2^63 lands below the mapping (negative). */
const signed64 = (off: bigint): bigint => (off >= 1n << 63n ? off - (1n << 64n) : off);

export const segv = (offset: bigint, code: 'SEGV_MAPERR' | 'SEGV_ACCERR'): Outcome => ({ kind: 'signal', signal: 'SIGSEGV', code, offset });
export const sigbusAt = (offset: bigint): Outcome => ({ kind: 'signal', signal: 'SIGBUS', code: 'BUS_ADRERR', offset });

/**
 * Outcomes of performing the access on state s (page present), as a Decision. The byte a load
 * reads is attributed to the rule that fixes it (./content.ts), not to the rule that decided the
 * access succeeds.
 */
export const performed = (a: Acc, s: SpecState, also?: Parameters<typeof cases>[2]): Decision => {
  const r = perform(s, a.mapId, a.mp, a.fp, a.off, a.write, a.value);
  const loose = r.outs.length > 1 ? 'SHR-8 / P-CONV-CONTENT: the byte was left unspecified by a conversion' : undefined;
  const d = cases(r.outs.map((o) => [o, () => r.next] as const), loose, also);
  if (a.write || r.outs.length !== 1) return d;
  const map = s.maps.get(a.mapId)!;
  // A private COW copy is this mapping's own data, not the file's.
  if (imGet(map.cow, a.mp) !== undefined) return d;
  return owningByte(d, s.inodes.get(map.inode)!, readByte(s, a.mapId, a.mp, a.fp, a.off), ['value', 'value']);
};

/** The access as a normal fault would complete it: fault in, then read or write. */
export const normalFault = (a: Acc, s: SpecState, also?: Parameters<typeof cases>[2]): Decision =>
  performed(a, faultIn(a.p, s, a.mapId, a.mp, a.fp, !a.write), also);

/** GEN-SEGV-MAPERR: past the end of the VMA (the native target keeps an unmapped gap there). */
export const beyondVma = rule<Acc>({
  id: 'GEN-SEGV-MAPERR',
  cite: 'arch/x86/mm/fault.c do_user_addr_fault (no VMA: SEGV_MAPERR)',
  decide: (a) => {
    if (a.offset >= 0n && a.mp < a.map.pages) return undefined;
    const w = signed64(a.offset);
    if (w === a.offset) return cases([[segv(a.offset, 'SEGV_MAPERR'), () => a.s]], undefined);
    // An offset ≥ 2^63 wraps below the mapping; report it as given or as the wrapped si_addr − base.
    return cases([[segv(a.offset, 'SEGV_MAPERR'), () => a.s], [segv(w, 'SEGV_MAPERR'), () => a.s]], 'an offset ≥ 2^63 wraps around the address space: si_addr − base may read either way');
  },
});

/** MAP-16: a store needs PROT_WRITE; a load any access right (x86 cannot express write- or exec-only). */
export const map16 = rule<Acc>({
  id: 'MAP-16',
  cite: 'MAP-16; arch/x86/mm/fault.c access_error (obs:HF-50..53)',
  decide: (a) => {
    const prot = protOf(a.map, a.mp);
    const okProt = a.write ? (prot & PROT.WRITE) !== 0 : (prot & (PROT.READ | PROT.WRITE | PROT.EXEC)) !== 0;
    return okProt ? undefined : cases([[segv(a.offset, 'SEGV_ACCERR'), () => a.s]], undefined);
  },
});

/** MAP-6: an installed PTE (or a private COW copy) serves the access without a fault. */
export const mapped = rule<Acc>({
  id: 'MAP-6',
  cite: 'MAP-6, MAP-14; mm/memory.c (a present PTE needs no fault)',
  decide: (a) => (imGet(a.map.ptes, a.mp) !== undefined || imGet(a.map.cow, a.mp) !== undefined ? performed(a, a.s) : undefined),
});

/** MAP-4: at or past EOF → SIGBUS BUS_ADRERR at the faulting address. */
export const map4 = rule<Acc>({
  id: 'MAP-4',
  cite: 'MAP-4; S1 kvm_gmem_fault_user_mapping (pgoff ≥ i_size); S3 test_fault_overflow',
  decide: (a) => (a.ino.kind === 'gmem' && a.fp >= a.ino.sizePages ? cases([[sigbusAt(a.offset), () => a.s]], undefined) : undefined),
});

/** GEN-SHMEM-FAULT: shmem also SIGBUSes past EOF. */
export const shmemEof = rule<Acc>({
  id: 'GEN-SHMEM-FAULT',
  cite: 'mm/shmem.c shmem_fault / shmem_get_folio_gfp (index past EOF → SIGBUS)',
  // A read fault maps its neighbours first (GEN-FAULT-AROUND), then shmem_fault finds the index past EOF.
  decide: (a) => (a.ino.kind === 'memfd' && a.fp >= a.ino.sizePages ? cases([[sigbusAt(a.offset), () => (a.write ? a.s : faultAround(a.s, a.mapId, a.mp, a.mp + 1))]], undefined) : undefined),
});

export const privateAt = (a: Acc): boolean => a.ino.kind === 'gmem' && !isShared(a.p, a.ino, a.fp);
