/**
 * futex(2) on a 32-bit word of a mapping (MAP-35). The op word is decoded first (GEN-FUTEX-OP),
 * then the address must be u32-aligned. A shared futex keys the word by its page: get_futex_key
 * pins the page with GUP (for write first, then for read), so a page GUP cannot reach fails with
 * EFAULT — private and EOF gmem pages, and every page of a NO_DIRECT_MAP file (DMAP-5) — and a
 * read-only pin that finds an anonymous page (a MAP_PRIVATE copy under PROT_READ) makes no key
 * either (EFAULT: such a word can never change). A private
 * futex keys by address without GUP: WAKE_PRIVATE touches nothing at all (0 woken, whatever is
 * mapped there), WAIT_PRIVATE reads the word with a user access (DMAP-20: fine on NO_DIRECT_MAP).
 * WAIT carries a zero timeout: EAGAIN when the word differs from value, ETIMEDOUT when it matches.
 */
import { FUTEX_OP, err, ok, type Outcome } from '../vocab/index.js';
import { cases, fact, only, rule, andThen, type Decision } from '../rule.js';
import { UNKNOWN } from '../state/bytes.js';
import { imGet } from '../state/imap.js';
import type { Ctx, MapCtx } from '../ctx.js';
import type { SpecState } from '../state/types.js';
import { faultAroundAtEof, gupEither, gupFaultIn, gupStop, type GupStop } from './gup.js';
import { cowRange, readByte } from './page-io.js';
import { deadMap } from '../lifetime/handles.js';
import { dmap20 } from './kernel-access.js';
import { onMap, type Steps } from '../run.js';

type C = Ctx<'futex'>;
type M = MapCtx<'futex'>;

const PRIVATE_FLAG = 128;
const CLOCK_REALTIME = 256;
/** What do_futex keeps as the command (the flag bits of 6.18 and 7.2 cleared). */
const cmdOf = (op: number): number => op & ~(PRIVATE_FLAG | CLOCK_REALTIME | 512 | 1024);

export const futexDead = deadMap<C>('EFAULT');

/** GEN-FUTEX-OP: CLOCK_REALTIME only with the absolute-time waits; any command but WAIT/WAKE here is unknown → ENOSYS. */
export const futexOp = rule<C>({
  id: 'GEN-FUTEX-OP',
  cite: 'kernel/futex/syscalls.c do_futex (CLOCK_REALTIME check, default ENOSYS), v7.2',
  decide: ({ s, op }) => {
    const word = FUTEX_OP[op.op];
    const cmd = cmdOf(word);
    if ((word & CLOCK_REALTIME) !== 0 || (cmd !== 0 && cmd !== 1)) return only(s, err('ENOSYS'));
    return undefined;
  },
});

export const map35Fact = fact('MAP-35', 'MAP-35; kernel/futex/core.c get_futex_key, v7.2');

/** MAP-35: the word must be u32-aligned (get_futex_key) → EINVAL, for every command. */
export const futexAlign = rule<C>({
  id: 'MAP-35',
  cite: 'MAP-35; kernel/futex/core.c get_futex_key (address % sizeof(u32) → EINVAL), v7.2',
  decide: ({ s, op }) => (((op.offset % 4n) + 4n) % 4n !== 0n ? only(s, err('EINVAL')) : undefined),
});

/** Outside the mapping nothing is mapped: a shared key or a read of the word fails, WAKE_PRIVATE reads nothing. */
export const futexUnmapped = rule<C>({
  id: 'MAP-35',
  cite: 'MAP-35; kernel/futex/core.c get_futex_key (private keys skip GUP); kernel/futex/waitwake.c futex_wake',
  decide: ({ s, op }) => {
    const m = s.maps.get(op.map);
    if (m !== undefined && op.offset >= 0n && op.offset >> 12n < BigInt(m.pages)) return undefined;
    return only(s, op.op === 'WAKE_PRIVATE' ? ok({ woken: 0 }) : err('EFAULT'));
  },
});
export const futexPre = [futexDead, futexOp, futexAlign, futexUnmapped] as const;

/** WAIT: compare the word after the page is in (ETIMEDOUT on a match, EAGAIN otherwise). */
const waitOn = (c: M, next: SpecState, also: Decision['also']): Decision => {
  const mp = Number(c.op.offset >> 12n);
  const off = Number(c.op.offset & 4095n);
  const bytes = [0, 1, 2, 3].map((i) => readByte(next, c.op.map, mp, c.map.pgoff + mp, off + i));
  const result = (o: Outcome): readonly [Outcome, () => SpecState] => [o, () => next];
  if (bytes.includes(UNKNOWN)) return cases([result(err('EAGAIN')), result(err('ETIMEDOUT'))], 'SHR-8 / P-CONV-CONTENT: the word was left unspecified by a conversion', also);
  const word = bytes.reduce((w, b, i) => w + b * 2 ** (8 * i), 0);
  return cases([result(err(word === c.op.value ? 'ETIMEDOUT' : 'EAGAIN'))], undefined, also);
};

/** MAP-35: a shared futex pins the word's page (write, then read); WAKE_PRIVATE touches nothing; WAIT_PRIVATE reads the word. */
export const map35 = rule<M>({
  id: 'MAP-35',
  cite: 'MAP-35, DMAP-5, DMAP-20; kernel/futex/core.c get_futex_key (get_user_pages_fast FOLL_WRITE, then read-only on any EFAULT for FUTEX_READ, which WAIT and WAKE pass; a read-only anonymous folio → EFAULT, measured on 6.18.44: a COW copy under PROT_READ); kernel/futex/waitwake.c futex_wait_setup, v7.2',
  decide: (c): Decision => {
    const { p, s, op, map } = c;
    if (op.op === 'WAKE_PRIVATE') return only(s, ok({ woken: 0 }), [map35Fact]);
    const mp = Number(op.offset >> 12n);
    const wait = op.op === 'WAIT' || op.op === 'WAIT_PRIVATE';
    const finish = (next: SpecState, also: Decision['also']): Decision =>
      wait ? waitOn(c, next, also) : andThen(ok({ woken: 0 }), () => next, also);
    if (op.op === 'WAIT_PRIVATE') {
      const also = [map35Fact, ...(c.ino.noDirectMap ? [dmap20] : [])];
      return gupEither(gupStop(p, s, map, mp, mp + 1, false, 'copy'), (g: GupStop) =>
        (g.stop <= mp ? andThen(err('EFAULT'), () => faultAroundAtEof(s, op.map, g, mp + 1, true), [...(g.why ? [g.why] : []), ...also]) : finish(gupFaultIn(s, op.map, mp, mp + 1, 'copy', true), also)));
    }
    // Shared: FOLL_WRITE first; any EFAULT of it retries for read (FUTEX_READ): a refusal by the
    // VMA's permissions, and a write that needs a userfault too — a uffd-wp page (UFD-20) whose
    // read needs none (found by the emulator property on uffd-v2/P-UFFD-WP=ACCEPT: WAIT on a
    // write-protected page is ETIMEDOUT, not EFAULT).
    const w = gupStop(p, s, map, mp, mp + 1, true);
    const write = !(w.stop <= mp);
    const g = write ? w : gupStop(p, s, map, mp, mp + 1, false);
    return gupEither(g, (h: GupStop) => {
      // get_futex_key retries any EFAULT of the FOLL_WRITE pin for read (WAIT and WAKE pass
      // FUTEX_READ): at a page past EOF that read fault runs fault-around first (GEN-FAULT-AROUND),
      // so a neighbouring up-to-date page may be mapped after the EFAULT. Found by the native memfd
      // run on 6.18.44: smaps of another mapping of that page then showed it Shared.
      if (h.stop <= mp) return andThen(err('EFAULT'), () => faultAroundAtEof(s, op.map, h, mp + 1, true), [...(h.why ? [h.why] : []), map35Fact]);
      // get_futex_key: a page pinned only for read that is anonymous — a private mapping's COW copy —
      // "will never change": EFAULT (kernel/futex/core.c, v7.2; found by the native run, obs:FX-06, FX-07).
      if (!write && !map.shared && imGet(map.cow, mp) !== undefined) return only(s, err('EFAULT'), [map35Fact]);
      const faulted = gupFaultIn(s, op.map, mp, mp + 1, 'gup', !write);
      return finish(write ? cowRange(faulted, op.map, mp, mp + 1) : faulted, [map35Fact]);
    });
  },
});
export const futexMapChain = [map35] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  futex: (p, s, o) => onMap({ p, s, op: o }, futexPre, o.map, futexMapChain),
} satisfies Steps;
