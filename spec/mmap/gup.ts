/**
 * Kernel access to user memory through GUP (process_vm_readv/writev, MADV_POPULATE_*,
 * get_mempolicy(MPOL_F_NODE|MPOL_F_ADDR)). It succeeds page by page where a host fault would,
 * and fails with an errno — never a signal — where a host fault would SIGBUS (MAP-9), where a
 * userfault would be needed (the uffd is UFFD_USER_MODE_ONLY: GEN-UFFD-USER-ONLY), and on every
 * page of a NO_DIRECT_MAP file (DMAP-5).
 */
import { firstGuard, map30Fact } from './guard.js';
import { firstWpStop, gupWriteClears } from '../uffd/wp-fault.js';
import { PROT, type Profile } from '../vocab/index.js';
import { eitherOf, fact, type Decision, type Rule } from '../rule.js';
import { imEach, imGet, imSet, imUpdate } from '../state/imap.js';
import { AROUND_LOOSE, faultAround, genFaultAround, maybeMappedIn } from './fault-around.js';
import { folio } from '../state/folio.js';
import { withInode, withMap } from '../state/update.js';
import type { Inode, Mapping, SpecState } from '../state/types.js';
import { firstPrivate } from '../shareability/shared.js';
import { UFFD_MODE } from '../vocab/index.js';
import { cowWriteSpan } from './page-io.js';
import { firstProt, protOf } from './prot-at.js';
import { dmap5, goneAtUse, gupRefused } from '../directmap/rules.js';

export const map9 = fact('MAP-9', 'MAP-9; mm/gup.c (VM_FAULT_SIGBUS → -EFAULT) (obs:GUP-G-*, GUP-P-*)');
export const genUserOnly = fact('GEN-UFFD-USER-ONLY', 'fs/userfaultfd.c handle_userfault (kernel fault in a UFFD_USER_MODE_ONLY range → SIGBUS)');
export const genGupProt = fact('GEN-GUP-PROT', 'mm/gup.c check_vma_flags');
export const genPvm = fact('GEN-PVM', 'mm/process_vm_access.c process_vm_rw_core');

export interface GupStop {
  /** First map page that cannot be pinned (end if none). */
  readonly stop: number;
  /** Why it stopped: the rule to cite, or null if it reached the end. */
  readonly why: Rule<never> | null;
  /** 'vma' when it ran past the end of the mapping (madvise reports ENOMEM then). */
  readonly kind: 'none' | 'vma' | 'fault';
  /**
   * Pages before `stop` where GUP may stop too, each with its rule: a folio an unpatched collapse
   * may have made large (MAP-8), a MINOR-registered page fault-around may or may not have mapped
   * (GEN-FAULT-AROUND: if it did not, GUP needs a userfault there).
   */
  readonly maybe?: readonly { readonly at: number; readonly why: Rule<never> }[];
}

export const map8Gup = fact('MAP-8', 'MAP-8, §4 P-THP-COLLAPSE; S19 (a large gmem folio SIGBUSes the fault GUP takes: EFAULT)');

/** The decision for where GUP stops; every place it may stop when maybe-stops lie on the way. */
export const gupEither = (g: GupStop, decide: (g: GupStop) => Decision): Decision =>
  (g.maybe ?? []).reduce(
    (d, m) => eitherOf(d, decide({ stop: m.at, why: m.why, kind: 'fault' }), m.why === map8Gup
      ? 'P-THP-COLLAPSE UNPATCHED: the collapse may or may not have built a large folio'
      : AROUND_LOOSE),
    decide(g),
  );

/**
 * How the kernel reaches the pages: `gup` (get_user_pages: the VMA's permissions, refused on a
 * NO_DIRECT_MAP file), `force` (GUP with FOLL_FORCE, /proc/self/mem: a read needs only
 * VM_MAYREAD, which every mapping here has; a write without VM_WRITE only breaks COW, so a shared
 * mapping refuses it), or `copy` (a user copy through the page tables: the permissions of a user
 * access, and a NO_DIRECT_MAP file is no obstacle, DMAP-20).
 */
export type Reach = 'gup' | 'force' | 'copy';

/** Does the VMA's protection let this reach read (or write) it? */
const protAllows = (map: Mapping, write: boolean, how: Reach) => (prot: number): boolean => {
  if (how === 'force') return !write || (prot & PROT.WRITE) !== 0 || !map.shared;
  return (prot & (write ? PROT.WRITE : PROT.READ)) !== 0;
};

/** Where GUP (or a user copy, `how`) over map pages [a, b) stops. */
export const gupStop = (p: Profile, s: SpecState, map: Mapping, a: number, b: number, write: boolean, how: Reach = 'gup'): GupStop => {
  const ino = s.inodes.get(map.inode)!;
  // The protection is per VMA (a partial mprotect splits it, MAP-19): GUP stops at the first VMA that refuses.
  const allows = protAllows(map, write, how);
  const denied = a < b ? firstProt(map, a, b, allows) : allows(protOf(map, a)) ? undefined : a;
  if (denied === a) return { stop: a, why: genGupProt, kind: 'fault' };
  if (how !== 'copy' && gupRefused(ino)) return { stop: a, why: dmap5, kind: 'fault' };
  let stop = b;
  let why: Rule<never> | null = null;
  let kind: GupStop['kind'] = 'none';
  const cut = (at: number, r: Rule<never>, k: GupStop['kind']) => {
    if (at < stop) { stop = at; why = r; kind = k; }
  };
  if (map.pages < b) cut(Math.max(a, map.pages), genPvm, 'vma');
  if (denied !== undefined) cut(denied, genGupProt, 'fault');
  const eof = ino.sizePages - map.pgoff;
  if (eof < stop) cut(Math.max(a, eof), map9, 'fault');
  const priv = firstPrivate(p, ino, map.pgoff + a, map.pgoff + stop);
  if (priv !== undefined) cut(priv - map.pgoff, map9, 'fault');
  // MAP-30: a marked page faults (VM_FAULT_SIGSEGV → EFAULT) before EOF, shareability or uffd are looked at.
  const g = firstGuard(map, a, stop);
  if (g !== undefined) cut(g, map30Fact, 'fault');
  const uf = firstUserfault(p, ino, map, a, stop);
  if (uf !== undefined) cut(uf, genUserOnly, 'fault');
  // UFD-20: a write meets a page write-protected by a synchronous WP context.
  const wpq = write ? firstWpStop(s, map, a, stop) : undefined;
  if (wpq !== undefined) cut(wpq, genUserOnly, 'fault');
  const maybe: { at: number; why: Rule<never> }[] = [];
  // Only an unpatched collapse leaves maybe-large folios: skip the walk on every other profile.
  const large = p.variants.thpCollapse === 'UNPATCHED' ? firstMaybeLarge(ino, map, a, stop) : undefined;
  if (large !== undefined) maybe.push({ at: large, why: map8Gup });
  for (const at of maybeUserfaults(map, ino, a, stop)) maybe.push({ at, why: genFaultAround });
  return maybe.length === 0 ? { stop, why, kind } : { stop, why, kind, maybe };
};

/**
 * MINOR-registered memfd pages in [a, b) with a folio that fault-around may have mapped: with a
 * PTE GUP goes on, without one it needs a userfault (GEN-UFFD-USER-ONLY) and stops there.
 */
const maybeUserfaults = (map: Mapping, ino: Inode, a: number, b: number): number[] =>
  ino.kind !== 'memfd' ? [] : maybeMappedIn(map, a, b).filter((q) => ((imGet(map.uffd, q)?.mode ?? 0n) & UFFD_MODE.MINOR) !== 0n);

/** First map page in [a, b) with no PTE whose folio may be large (MAP-8, P-THP-COLLAPSE=UNPATCHED). */
const firstMaybeLarge = (ino: Inode, map: Mapping, a: number, b: number): number | undefined => {
  let found: number | undefined;
  imEach(ino.folios, map.pgoff + a, map.pgoff + b, (fa, fb, f) => {
    if (!f?.maybeLarge) return false;
    imEach(map.ptes, fa - map.pgoff, fb - map.pgoff, (pa, _pb, pte) => {
      if (pte === undefined) found = pa;
      return found !== undefined;
    });
    return found !== undefined;
  });
  return found;
};

/**
 * First map page in [a, b) whose access would raise a userfault: registered, no PTE or private
 * copy, and a MISSING (no folio) or MINOR (folio present) event due. Walks runs, not pages.
 */
const firstUserfault = (p: Profile, ino: Inode, map: Mapping, a: number, b: number): number | undefined => {
  if (ino.kind === 'gmem' && !(p.features.uffd && ino.initShared)) return undefined;
  let found: number | undefined;
  imEach(map.uffd, a, b, (ra, rb, reg) => {
    if (reg === undefined) return false;
    imEach(map.ptes, ra, rb, (pa, pb, pte) => {
      if (pte !== undefined) return false;
      imEach(map.cow, pa, pb, (ca, cb, cow) => {
        if (cow !== undefined) return false;
        // A page fault-around may have mapped is a maybe-stop (maybeUserfaults), not a sure one.
        imEach(map.around, ca, cb, (xa, xb, around) => {
          if (around !== undefined) return false;
          imEach(ino.folios, map.pgoff + xa, map.pgoff + xb, (fa, _fb, f) => {
            const present = f !== undefined && (ino.kind === 'memfd' || p.variants.minorZero === 'CONTINUE-ZEROES' || f.uptodate);
            if ((present && (reg.mode & UFFD_MODE.MINOR) !== 0n) || (!present && (reg.mode & UFFD_MODE.MISSING) !== 0n)) found = fa - map.pgoff;
            return found !== undefined;
          });
          return found !== undefined;
        });
        return found !== undefined;
      });
      return found !== undefined;
    });
    return found !== undefined;
  });
  return found;
};

/**
 * Fault in map pages [a, b) as GUP does: folios up to date, PTEs installed (ranges, not pages). A
 * user copy faults through the gmem fault handler as a host access does, so a NO_DIRECT_MAP folio
 * loses its direct map there (DMAP-3); GUP never reaches such a file (DMAP-5). A read's faults
 * fault around on shmem (GEN-FAULT-AROUND).
 */
export const gupFaultIn = (s: SpecState, mapId: number, a: number, b: number, how: Reach = 'gup', read = false): SpecState => {
  if (a >= b) return s;
  const map = s.maps.get(mapId)!;
  const ino = s.inodes.get(map.inode)!;
  const fa = map.pgoff + a;
  const fb = map.pgoff + b;
  const gone = how === 'copy' && goneAtUse(ino);
  const up = folio(true, gone);
  const folios = imUpdate(ino.folios, fa, fb, (f) => (f === undefined || !f.uptodate ? (f?.dmapGone ? folio(true, true) : up) : gone && !f.dmapGone ? folio(true, true, f.maybeLarge) : f));
  const out = folios === ino.folios ? s : withInode(s, { ...ino, folios });
  // A write through a WP_ASYNC range clears the uffd-wp bits it met (UFD-20).
  const mapped = withMap(out, mapId, { ...(read ? map : gupWriteClears(map, a, b)), ptes: imSet(map.ptes, a, b, true) });
  return read ? faultAround(mapped, mapId, a, b) : mapped;
};

/**
 * The read fault GUP (or a user copy) took at the page where it stopped because the page lies past
 * EOF still faulted around first: do_read_fault runs do_fault_around before ->fault, and only
 * ->fault (shmem_fault) finds the page past i_size (GEN-FAULT-AROUND). Found by the smaps
 * observation (MAP-38): a /proc/self/mem read past EOF of one memfd mapping left a neighbouring
 * page of it mapped, so another mapping's page showed as Shared.
 */
export const faultAroundAtEof = (s: SpecState, mapId: number, g: GupStop, end: number, read: boolean): SpecState => {
  const map = s.maps.get(mapId);
  if (!read || map === undefined || g.kind !== 'fault' || g.why?.id !== 'MAP-9' || g.stop >= end || g.stop >= map.pages) return s;
  const ino = s.inodes.get(map.inode)!;
  return map.pgoff + g.stop >= ino.sizePages ? faultAround(s, mapId, g.stop, g.stop + 1) : s;
};

/** Write `len` bytes of value at map byte `from` (already faulted in), page by page for private maps. */
export const gupWrite = (s: SpecState, mapId: number, from: bigint, len: number, value: number): SpecState => {
  const map = s.maps.get(mapId)!;
  if (map.shared) {
    const ino = s.inodes.get(map.inode)!;
    const mp = Number(from >> 12n);
    return withInode(s, { ...ino, data: writeSpanAt(ino.data, map.pgoff + mp, Number(from & 4095n), len, value) });
  }
  return cowWriteSpan(s, mapId, from, len, value);
};

import { writeSpan as writeSpanAt } from '../state/bytes.js';
