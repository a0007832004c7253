/**
 * Kernel access to user memory through GUP (process_vm_readv/writev, MADV_POPULATE_*,
 * get_mempolicy(MPOL_F_NODE|MPOL_F_ADDR)). It succeeds page by page where a host fault would,
 * and fails with an errno — never a signal — where a host fault would SIGBUS (MAP-9), where a
 * userfault would be needed (the uffd is UFFD_USER_MODE_ONLY: GEN-UFFD-USER-ONLY), and on every
 * page of a NO_DIRECT_MAP file (DMAP-5).
 */
import { PROT, type Profile } from '../vocab/index.js';
import { eitherOf, fact, type Decision, type Rule } from '../rule.js';
import { imEach, imSet, imUpdate } from '../state/imap.js';
import { folio } from '../state/folio.js';
import { withInode, withMap } from '../state/update.js';
import type { Inode, Mapping, SpecState } from '../state/types.js';
import { firstPrivate } from '../shareability/shared.js';
import { UFFD_MODE } from '../vocab/index.js';
import { cowWriteSpan } from './page-io.js';
import { dmap5, gupRefused } from '../directmap/rules.js';

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
  /** A page before `stop` where GUP may stop too: a folio an unpatched collapse may have made large (MAP-8). */
  readonly maybe?: number;
}

export const map8Gup = fact('MAP-8', 'MAP-8, §4 P-THP-COLLAPSE; S19 (a large gmem folio SIGBUSes the fault GUP takes: EFAULT)');

/** The decision for where GUP stops; both where it may stop when a maybe-large folio lies on the way. */
export const gupEither = (g: GupStop, decide: (g: GupStop) => Decision): Decision =>
  g.maybe === undefined ? decide(g)
    : eitherOf(decide(g), decide({ stop: g.maybe, why: map8Gup, kind: 'fault' }), 'P-THP-COLLAPSE UNPATCHED: the collapse may or may not have built a large folio');

/** Where GUP over map pages [a, b) stops. */
export const gupStop = (p: Profile, s: SpecState, map: Mapping, a: number, b: number, write: boolean): GupStop => {
  const ino = s.inodes.get(map.inode)!;
  const needed = write ? PROT.WRITE : PROT.READ;
  if ((map.prot & needed) === 0) return { stop: a, why: genGupProt, kind: 'fault' };
  if (gupRefused(ino)) return { stop: a, why: dmap5, kind: 'fault' };
  let stop = b;
  let why: Rule<never> | null = null;
  let kind: GupStop['kind'] = 'none';
  const cut = (at: number, r: Rule<never>, k: GupStop['kind']) => {
    if (at < stop) { stop = at; why = r; kind = k; }
  };
  if (map.pages < b) cut(Math.max(a, map.pages), genPvm, 'vma');
  const eof = ino.sizePages - map.pgoff;
  if (eof < stop) cut(Math.max(a, eof), map9, 'fault');
  const priv = firstPrivate(p, ino, map.pgoff + a, map.pgoff + stop);
  if (priv !== undefined) cut(priv - map.pgoff, map9, 'fault');
  const uf = firstUserfault(p, ino, map, a, stop);
  if (uf !== undefined) cut(uf, genUserOnly, 'fault');
  // Only an unpatched collapse leaves maybe-large folios: skip the walk on every other profile.
  const maybe = p.variants.thpCollapse === 'UNPATCHED' ? firstMaybeLarge(ino, map, a, stop) : undefined;
  return maybe === undefined ? { stop, why, kind } : { stop, why, kind, maybe };
};

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
        imEach(ino.folios, map.pgoff + ca, map.pgoff + cb, (fa, _fb, f) => {
          const present = f !== undefined && (ino.kind === 'memfd' || p.variants.minorZero === 'CONTINUE-ZEROES' || f.uptodate);
          if ((present && (reg.mode & UFFD_MODE.MINOR) !== 0) || (!present && (reg.mode & UFFD_MODE.MISSING) !== 0)) found = fa - map.pgoff;
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

/** Fault in map pages [a, b) as GUP does: folios up to date, PTEs installed (ranges, not pages). */
export const gupFaultIn = (s: SpecState, mapId: number, a: number, b: number): SpecState => {
  if (a >= b) return s;
  const map = s.maps.get(mapId)!;
  const ino = s.inodes.get(map.inode)!;
  const fa = map.pgoff + a;
  const fb = map.pgoff + b;
  const up = folio(true, false);
  const folios = imUpdate(ino.folios, fa, fb, (f) => (f === undefined || !f.uptodate ? (f?.dmapGone ? folio(true, true) : up) : f));
  const out = folios === ino.folios ? s : withInode(s, { ...ino, folios });
  return withMap(out, mapId, { ...map, ptes: imSet(map.ptes, a, b, true) });
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
