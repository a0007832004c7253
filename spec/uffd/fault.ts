/**
 * Userfaults raised by a host access (UFD-4, UFD-5, UFD-9; GEN-UFFD-SHMEM for memfd), and how
 * the op's handler thread resolves them (UFD-6/7/8). If the resolve fails, the target unregisters
 * the faulting page (GEN-UFFD-UNREGISTER), and the access completes as it would without uffd.
 */
import { withWp, wpRegistered } from './writeprotect.js';
import { PAGE, err, ok, type Outcome, type UffdEvent } from '../vocab/index.js';
import { cases, fact, nestParts, type Decision } from '../rule.js';
import { imGet, imSet } from '../state/imap.js';
import { folio } from '../state/folio.js';
import { withInode, withMap } from '../state/update.js';
import type { SpecState, UffdReg } from '../state/types.js';
import { UFFD_MODE } from '../vocab/index.js';
import { normalFault, performed, privateAt, sigbusAt, type Acc } from '../mmap/access.js';
import { fillThrough } from '../mmap/page-io.js';
import { faultAround } from '../mmap/fault-around.js';

const UFFD_FEATURE_SIGBUS = 1n << 7n;

export const ufd5 = fact('UFD-5', 'UFD-5; S13, S5 test_uffd_minor');
export const ufd6 = fact('UFD-6', 'UFD-6; S13 (COPY allocates through alloc_folio; EEXIST if present)');
export const ufd7 = fact('UFD-7', 'UFD-7; S13 (CONTINUE needs a present folio, else EFAULT)');
export const ufd8 = fact('UFD-8', 'UFD-8 (ZEROPAGE on a shared VMA allocates a zeroed folio)');
export const ufd9 = fact('UFD-9', 'UFD-9, §4 P-UFFD-PRIV; SEED2');
export const genUffdShmem = fact('GEN-UFFD-SHMEM', 'fs/userfaultfd.c vma_can_userfault; mm/shmem.c shmem_get_folio_gfp');
export const genUffdSigbus = fact('GEN-UFFD-SIGBUS', 'fs/userfaultfd.c handle_userfault (UFFD_FEATURE_SIGBUS)');
export const genUnregister = fact('GEN-UFFD-UNREGISTER', 'fs/userfaultfd.c userfaultfd_unregister; spec/README.md (handler convention)');
export const ufd4 = fact('UFD-4', 'UFD-4; S13, S5 test_uffd_missing');

/** Can registrations on this file raise page faults at all (gmem only under the uffd series)? */
const eventsPossible = (a: Acc): boolean => a.ino.kind === 'memfd' || (a.p.features.uffd && a.ino.initShared);

/** Is the folio "present" for MINOR purposes (P-MINOR-ZERO MISSING: only once up to date)? */
export const folioPresent = (a: Pick<Acc, 'p' | 'ino'>, fp: number): boolean => {
  const f = imGet(a.ino.folios, fp);
  if (f === undefined) return false;
  return a.ino.kind === 'memfd' || a.p.variants.minorZero === 'CONTINUE-ZEROES' || f.uptodate;
};

/** The event a registered page raises now, or undefined (no fault, or mode not registered). */
const eventFor = (a: Acc, reg: UffdReg): UffdEvent | undefined => {
  const present = folioPresent(a, a.fp);
  const minor = present && (reg.mode & UFFD_MODE.MINOR) !== 0n;
  const missing = !present && (reg.mode & UFFD_MODE.MISSING) !== 0n;
  if (!minor && !missing) return undefined;
  return { write: a.write, minor, wp: false, offset: BigInt(a.mp) * BigInt(PAGE) };
};

export const userfault = (a0: Acc): Decision | undefined => {
  const reg = imGet(a0.map.uffd, a0.mp);
  if (reg === undefined || !eventsPossible(a0)) return undefined;
  const priv = privateAt(a0);
  if (priv && a0.p.variants.uffdPriv !== 'USERFAULT') return undefined;
  const ev = eventFor(a0, reg);
  if (ev === undefined) return undefined;
  // A read fault in a VMA registered MISSING only maps its neighbours before shmem_fault raises
  // the event (GEN-FAULT-AROUND; MINOR and WP registrations turn fault-around off).
  const around = a0.write ? a0.s : faultAround(a0.s, a0.mapId, a0.mp, a0.mp + 1);
  const a: Acc = around === a0.s ? a0 : { ...a0, s: around, map: around.maps.get(a0.mapId)! };
  const base = a.ino.kind === 'memfd' ? [genUffdShmem] : ev.minor ? [ufd5] : [ufd4];
  if (((a.s.uffds.get(reg.uffd)?.features ?? 0n) & UFFD_FEATURE_SIGBUS) !== 0n) {
    return cases([[sigbusAt(a.offset), () => a.s]], undefined, [...base, genUffdSigbus]);
  }
  if (priv) return privateUserfault(a, ev, base);
  const r = resolveInFault(a);
  if (r.ok) {
    const after = performed(a, r.next);
    return wrap(a, ev, ok({ count: PAGE }), after, [...base, r.rule]);
  }
  const unreg = unregisterPage(a.s, a.mapId, a.mp);
  return wrap(a, ev, err(r.errno), normalFault(a, unreg), [...base, r.rule, genUnregister]);
};

/** UFD-9 variant A: the VMM is told, but COPY/CONTINUE into a private offset is refused; then SIGBUS. */
const privateUserfault = (a: Acc, ev: UffdEvent, base: readonly ReturnType<typeof fact>[]): Decision => {
  const unreg = unregisterPage(a.s, a.mapId, a.mp);
  const errs = (['EINVAL', 'EFAULT', 'EPERM', 'EACCES'] as const).map(
    (e) => [{ kind: 'uffd', event: ev, resolve: err(e), access: sigbusAt(a.offset) } as Outcome, () => unreg] as const,
  );
  return cases(errs, 'UFD-9: the errno refusing a resolve into a private offset is not pinned down', [...base, ufd9, genUnregister]);
};

const wrap = (a: Acc, ev: UffdEvent, resolve: Outcome, after: Decision, also: ReturnType<typeof fact>[]): Decision => {
  const pairs = after.allowed.map((access) => [{ kind: 'uffd', event: ev, resolve, access } as Outcome, () => after.next(access)] as const);
  const d = cases(pairs, after.loose, also);
  // What fixed the access's own values (the byte it reads) still does, one level down.
  const parts = nestParts(after.parts, ['access']);
  return parts === undefined ? d : { ...d, parts };
};

export const unregisterPage = (s: SpecState, mapId: number, mp: number): SpecState => {
  const m = s.maps.get(mapId)!;
  // userfaultfd_clear_vma resolves the uffd-wp bits and markers of a WP-registered VMA first.
  const w = wpRegistered(m, mp) ? withWp(m, mp, mp + 1, undefined) : m;
  return withMap(s, mapId, { ...w, uffd: imSet(m.uffd, mp, mp + 1, undefined) });
};

type Resolved = { ok: true; next: SpecState; rule: ReturnType<typeof fact> } | { ok: false; errno: 'EEXIST' | 'EFAULT'; rule: ReturnType<typeof fact> };

/** The handler's resolve ioctl for the faulting page (the fault proves the PTE is absent). */
const resolveInFault = (a: Acc): Resolved => {
  const present = folioPresent(a, a.fp);
  switch (a.how) {
    case 'COPY':
    case 'ZEROPAGE': {
      const rule = a.how === 'COPY' ? ufd6 : ufd8;
      if (present && a.map.shared) return { ok: false, errno: 'EEXIST', rule };
      return { ok: true, next: fillThrough(a.s, a.mapId, a.mp, a.fp, a.how === 'COPY' ? a.fill : 0), rule };
    }
    case 'CONTINUE': {
      if (!present) return { ok: false, errno: 'EFAULT', rule: ufd7 };
      return { ok: true, next: continuePage(a.s, a.mapId, a.mp, a.fp), rule: ufd7 };
    }
  }
};

/** CONTINUE maps the existing folio; one never made up to date is zeroed first (P-MINOR-ZERO). */
export const continuePage = (s: SpecState, mapId: number, mp: number, fp: number): SpecState => {
  const map = s.maps.get(mapId)!;
  const ino = s.inodes.get(map.inode)!;
  const f = imGet(ino.folios, fp);
  let out = s;
  if (f !== undefined && !f.uptodate) out = withInode(out, { ...ino, folios: imSet(ino.folios, fp, fp + 1, folio(true, f.dmapGone || ino.noDirectMap)) });
  const m2 = out.maps.get(mapId)!;
  return withMap(out, mapId, withWp({ ...m2, ptes: imSet(m2.ptes, mp, mp + 1, true) }, mp, mp + 1, undefined));
};
