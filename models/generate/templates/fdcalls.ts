/**
 * Templates for the fd-level calls (FIO-18..25, LIFE-10..17, CRE-16). Every flag word gets its edge
 * bits (bit 31, bit 32 and 63 for the 64-bit fcntl argument, the first unknown bit, all ones),
 * offsets their special values (−1 = NULL / the file position, −2, past EOF, near 2^63), and
 * lengths the vector and pipe boundaries (0, 1 page, 16 pages).
 */
import fc from 'fast-check';
import { FD_IO_MAX_BYTES, O_FLAG, RWF } from '../../../spec/vocab/index.js';
import { pick } from '../context.js';
import { byteArb, hotArb, offsetArb, resolveOffset, s64 } from '../choices.js';
import { template, type TemplateArbs } from '../template.js';
import { intWordArb, word32Arb, word64Arb } from '../flags.js';

/** −1 (NULL offset / "file position"), −2 (a plain negative), or an offset resolved against the file size. */
type PosChoice = { readonly special: bigint } | { readonly off: Parameters<typeof resolveOffset>[0] };
const posArb: fc.Arbitrary<PosChoice> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ special: -1n }) },
  { weight: 1, arbitrary: fc.constantFrom(-2n, (1n << 63n) - 1n).map((special) => ({ special })) },
  { weight: 6, arbitrary: offsetArb({ huge: 0, near63: 1 }).map((off) => ({ off })) },
);
const resolvePos = (p: PosChoice, size: bigint): bigint => ('special' in p ? p.special : s64(resolveOffset(p.off, size)));

const lenArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(1, 4096, 100) },
  { weight: 1, arbitrary: fc.constantFrom(0, 4097, FD_IO_MAX_BYTES) },
);

const rwfArb = intWordArb([0, 0, RWF.HIPRI, RWF.DSYNC, RWF.SYNC, RWF.NOWAIT, RWF.APPEND, RWF.NOAPPEND, RWF.ATOMIC, RWF.DONTCACHE, RWF.NOSIGNAL, RWF.APPEND | RWF.NOAPPEND], { known: 0x1ffn });
const iovcntArb = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(1, 2, 3) }, { weight: 1, arbitrary: fc.constantFrom(0, 1024, 1025) });

const { O_APPEND, O_NONBLOCK, O_NOATIME, O_DIRECT, O_ASYNC, O_DSYNC } = O_FLAG;
const b = (xs: readonly number[]): bigint[] => xs.map(BigInt);
/** fcntl commands with an argument fitting each (the unsigned long, with its edge bits). */
const fcntlArb = fc.oneof(
  fc.record({ cmd: fc.constantFrom('F_GETFL' as const, 'F_GETFD' as const, 'F_GET_SEALS' as const, 'F_GETLEASE' as const), arg: fc.constant(0n) }),
  fc.record({ cmd: fc.constant('F_SETFL' as const), arg: word64Arb(b([0, O_APPEND, O_NONBLOCK, O_NOATIME, O_APPEND | O_NONBLOCK, O_DIRECT, O_ASYNC, O_DSYNC]), { known: 0o3777777n }) }),
  fc.record({ cmd: fc.constant('F_SETFD' as const), arg: word64Arb([0n, 1n], { known: 1n }) }),
  fc.record({ cmd: fc.constant('F_ADD_SEALS' as const), arg: word64Arb([0n, 1n, 2n, 4n, 8n, 16n, 32n], { known: 0x3fn }) }),
  fc.record({ cmd: fc.constant('F_SETLEASE' as const), arg: word64Arb([0n, 1n, 2n, 3n], { known: 3n }) }),
  fc.record({ cmd: fc.constant('F_NOTIFY' as const), arg: word64Arb([0n, 1n, 0x80000000n, 0x8000003fn], { known: 0x8000003fn }) }),
  fc.record({ cmd: fc.constantFrom('F_SETPIPE_SZ' as const, 'F_GETPIPE_SZ' as const), arg: word64Arb([0n, 4096n, 1n << 20n], { known: 0x7fffffffn }) }),
  fc.record({ cmd: fc.constantFrom('F_SETLK' as const, 'F_GETLK' as const, 'F_OFD_SETLK' as const, 'F_OFD_GETLK' as const), arg: word64Arb([0n, 1n, 2n, 3n], { known: 3n, weight: 1 }) }),
);

const spliceFlagsArb = word32Arb([0, 1, 2, 4, 8], { known: 0xfn });
const copyFlagsArb = fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(1, 2 ** 31) });

export const fdTemplates = {
  lseek: fc.record({ n: fc.nat(), pos: posArb, whence: word32Arb([0, 1, 2, 3, 4], { known: 7n }), hot: hotArb })
    .map(({ n, pos, whence, hot }) => template('lseek', (c) => {
      const fd = pick(n, c.fds.length);
      const h = hot ? c.hotOf(fd) : undefined;
      const offset = h ? s64(h.page * 4096n + 1n) : resolvePos(pos, c.fds[fd]?.size ?? 0n);
      return { kind: 'lseek', fd, offset, whence };
    })),
  fileIoV: fc.record({
    n: fc.nat(), call: fc.constantFrom('readv', 'writev', 'preadv', 'pwritev', 'preadv2', 'pwritev2' as const),
    pos: posArb, len: lenArb, iovcnt: iovcntArb, rwf: rwfArb, value: byteArb, hot: hotArb,
  }).map(({ n, call, pos, len, iovcnt, rwf, value, hot }) => template('fileIoV', (c) => {
    const fd = pick(n, c.fds.length);
    const h = hot ? c.hotOf(fd) : undefined;
    const offset = h ? s64(h.page * 4096n) : resolvePos(pos, c.fds[fd]?.size ?? 0n);
    const v2 = call === 'preadv2' || call === 'pwritev2';
    return { kind: 'fileIoV', fd, call, offset, len, iovcnt, rwf: v2 ? rwf : 0, value };
  })),
  fdMeta: fc.record({
    n: fc.nat(), call: fc.constantFrom('fsync', 'fdatasync', 'syncfs', 'fchmod', 'fchown', 'futimens', 'fstatfs' as const),
    mode: word32Arb([0o600, 0o644, 0o777, 0o4777, 0o2777, 0o2767, 0o6755, 0], { known: 0o7777n }),
  }).map(({ n, call, mode }) => template('fdMeta', (c) => ({ kind: 'fdMeta', fd: pick(n, c.fds.length), call, mode: call === 'fchmod' ? mode : 0 }))),
  fcntl: fc.record({ n: fc.nat(), f: fcntlArb })
    .map(({ n, f }) => template('fcntl', (c) => ({ kind: 'fcntl', fd: pick(n, c.fds.length), cmd: f.cmd, arg: f.arg }))),
  spliceLike: fc.record({
    n: fc.nat(), call: fc.constantFrom('sendfileOut', 'spliceOut', 'copyOut', 'sendfileIn', 'spliceIn', 'copyIn', 'teeOut', 'teeIn', 'vmsplice' as const),
    pos: posArb, len: lenArb, splice: spliceFlagsArb, copy: copyFlagsArb, value: byteArb, hot: hotArb,
  }).map(({ n, call, pos, len, splice, copy, value, hot }) => template('spliceLike', (c) => {
    const fd = pick(n, c.fds.length);
    const h = hot ? c.hotOf(fd) : undefined;
    const offset = h ? s64(h.page * 4096n) : resolvePos(pos, c.fds[fd]?.size ?? 0n);
    const flags = call === 'spliceIn' || call === 'spliceOut' || call === 'teeOut' || call === 'teeIn' || call === 'vmsplice' ? splice : call === 'copyIn' || call === 'copyOut' ? copy : 0;
    return { kind: 'spliceLike', fd, call, offset, len, flags, value };
  })),
  passFd: fc.record({ n: fc.nat(), cloexec: fc.boolean() })
    .map(({ n, cloexec }) => template('passFd', (c) => ({ kind: 'passFd', fd: pick(n, c.fds.length), id: c.fds.length, cloexec }))),
  fdReach: fc.record({
    n: fc.nat(),
    how: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('reopenRdonly', 'reopenRdwr', 'reopenPath' as const) }, { weight: 1, arbitrary: fc.constant('execKeeps' as const) }),
  }).map(({ n, how }) => template('fdReach', (c) => ({ kind: 'fdReach', fd: pick(n, c.fds.length), how }))),
} satisfies TemplateArbs;
