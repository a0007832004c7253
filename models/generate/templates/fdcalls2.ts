/**
 * Templates for the rest of the fd-level calls (FIO-22, FIO-24, FIO-28, LIFE-10, LIFE-12,
 * LIFE-14). The ioctl argument gets its edge bits (0, 1, bit 31, all ones: FIONBIO and FIOASYNC
 * read it as an int), the fadvise advice and the sync_file_range flags the first unknown value and
 * bit 31, offsets and lengths −1, 0 and the values whose sum wraps a loff_t.
 */
import fc from 'fast-check';
import { FD_IOCTL, FD_IO_MAX_BYTES, RWF } from '../../../spec/vocab/index.js';
import { pick } from '../context.js';
import { byteArb, offsetArb, resolveOffset, s64 } from '../choices.js';
import { template, type TemplateArbs } from '../template.js';
import { intWordArb, word32Arb } from '../flags.js';

const REQS = Object.keys(FD_IOCTL) as (keyof typeof FD_IOCTL)[];
const LLONG_MAX = (1n << 63n) - 1n;

/** An offset of the file (resolved against its size), −1, or LLONG_MAX. */
const offArb = fc.oneof(
  { weight: 6, arbitrary: offsetArb({ huge: 0, near63: 1 }).map((off) => ({ off })) },
  { weight: 1, arbitrary: fc.constantFrom(-1n, LLONG_MAX).map((special) => ({ special })) },
);
const lenArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(0n, 1n, 4096n, 8192n) },
  { weight: 1, arbitrary: fc.constantFrom(-1n, LLONG_MAX, 1n << 62n) },
);

const uringRwfArb = intWordArb([0, 0, 0, RWF.HIPRI, RWF.DSYNC, RWF.SYNC, RWF.NOWAIT, RWF.APPEND, RWF.NOAPPEND, RWF.ATOMIC, RWF.DONTCACHE, RWF.NOSIGNAL, RWF.APPEND | RWF.NOAPPEND], { known: 0x1ffn });
const uringLenArb = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(1, 100, 4096) }, { weight: 1, arbitrary: fc.constantFrom(0, 4097, FD_IO_MAX_BYTES) });

export const fdTemplates2 = {
  fdUring: fc.record({
    n: fc.nat(), call: fc.constantFrom('read', 'write', 'readv', 'writev', 'readFixed', 'writeFixed' as const),
    off: fc.oneof({ weight: 3, arbitrary: fc.constant({ special: -1n }) }, { weight: 6, arbitrary: offArb }), len: uringLenArb, rwf: uringRwfArb, value: byteArb,
  }).map(({ n, call, off, len, rwf, value }) => template('fdUring', (c) => {
    const fd = pick(n, c.fds.length);
    const offset = 'special' in off ? off.special : s64(resolveOffset(off.off, c.fds[fd]?.size ?? 0n));
    return { kind: 'fdUring', fd, call, offset, len, rwf, value };
  })),
  fdDup: fc.record({ n: fc.nat(), how: fc.constantFrom('dup3', 'dup3Cloexec', 'dupfd', 'dupfdCloexec', 'pidfdGetfd' as const) })
    .map(({ n, how }) => template('fdDup', (c) => ({ kind: 'fdDup', fd: pick(n, c.fds.length), id: c.fds.length, how }))),
  fdIoctl: fc.record({ n: fc.nat(), req: fc.constantFrom(...REQS), arg: word32Arb([0, 1], { known: 1n }) })
    .map(({ n, req, arg }) => template('fdIoctl', (c) => ({ kind: 'fdIoctl', fd: pick(n, c.fds.length), req, arg }))),
  fdAdvise: fc.record({
    n: fc.nat(), call: fc.constantFrom('fadvise', 'fadvise', 'readahead', 'syncFileRange' as const), off: offArb, len: lenArb,
    advice: word32Arb([0, 1, 2, 3, 4, 5], { known: 7n }), flags: word32Arb([0, 1, 2, 4, 7], { known: 7n }),
  }).map(({ n, call, off, len, advice, flags }) => template('fdAdvise', (c) => {
    const fd = pick(n, c.fds.length);
    const offset = 'special' in off ? off.special : s64(resolveOffset(off.off, c.fds[fd]?.size ?? 0n));
    return { kind: 'fdAdvise', fd, call, offset, len, word: call === 'fadvise' ? advice : call === 'syncFileRange' ? flags : 0 };
  })),
  pathCall: fc.record({
    n: fc.nat(),
    call: fc.constantFrom('truncate', 'chmod', 'chown', 'utimensat', 'linkat', 'opathFstat', 'opathFstatfs', 'opathFtruncate', 'opathFallocate', 'opathMmap', 'opathIoctl', 'opathFchmod' as const),
    size: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0n, 4096n, 8192n, 12288n, 4097n) }, { weight: 1, arbitrary: fc.constantFrom(-1n, LLONG_MAX, 1n << 62n) }),
    mode: fc.constantFrom(0o600n, 0o644n, 0o777n, 0o4777n, 0o2777n, 0n, 0xffffffffn),
  }).map(({ n, call, size, mode }) => template('pathCall', (c) => ({
    kind: 'pathCall', fd: pick(n, c.fds.length), call, arg: call === 'chmod' || call === 'opathFchmod' ? mode : size,
  }))),
  fdPoll: fc.record({ n: fc.nat(), how: fc.constantFrom('poll', 'select', 'epollAdd' as const) })
    .map(({ n, how }) => template('fdPoll', (c) => ({ kind: 'fdPoll', fd: pick(n, c.fds.length), how }))),
} satisfies TemplateArbs;
