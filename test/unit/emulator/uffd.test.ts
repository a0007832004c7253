// userfaultfd: the 6.18 refusal (UFD-1) and the series behaviour (UFD-2..8, UFD-9, P-MINOR-ZERO).
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../spec/vocab/index.js';
import { GMEM_FLAG, UFFD_FEATURE, UFFD_MODE } from '../../../spec/vocab/index.js';
import { bus, errno, falloc, gmem, KEEP, LINUX_618, load, mmap, lv, okv, P, run, SERIES, store, vm, withProfile } from './_fixtures.js';

const create = (id = 0, features = 0n): Op => ({ kind: 'uffdCreate', id, features });
const reg = (mode: bigint, map = 0, uffd = 0, offset = 0n, length = 4n * P): Op => ({ kind: 'uffdRegister', uffd, map, offset, length, mode });
const resolve = (how: 'COPY' | 'CONTINUE' | 'ZEROPAGE', offset = 0n, length = P, map = 0): Op =>
  ({ kind: 'uffdResolve', uffd: 0, how, map, offset, length, fill: 0x11 });

describe('emulator: userfaultfd', () => {
  it('UFD-11: re-registering a subset of the current modes keeps them all; other modes replace (measured on 6.18)', async () => {
    const { MISSING, MINOR } = UFFD_MODE;
    const memfd: Op = { kind: 'createMemfd', id: 0, size: P };
    const wr = store(0, 0n, 1);
    const stays = await run(LINUX_618, [memfd, create(), mmap(0, 0, P), reg(MISSING | MINOR, 0, 0, 0n, P), reg(MINOR, 0, 0, 0n, P), wr]);
    expect(stays[5]).toMatchObject({ kind: 'uffd', event: { minor: false, write: true } });
    const replaced = await run(LINUX_618, [memfd, create(), mmap(0, 0, P), reg(MISSING, 0, 0, 0n, P), reg(MINOR, 0, 0, 0n, P), wr]);
    expect(replaced[5]).toEqual(okv());
  });

  it('UFD-1: on 6.18 gmem refuses MISSING/MINOR/WP; WP alone with WP_ASYNC is accepted; memfd takes every mode', async () => {
    const out = await run(LINUX_618, [vm(), gmem(), mmap(), create(0), reg(UFFD_MODE.MISSING), reg(UFFD_MODE.MINOR), reg(UFFD_MODE.WP),
      create(1, UFFD_FEATURE.WP_ASYNC), reg(UFFD_MODE.WP, 0, 1), reg(UFFD_MODE.MISSING, 0, 1),
      { kind: 'createMemfd', id: 1, size: 4n * P }, mmap(1, 1), reg(UFFD_MODE.MISSING | UFFD_MODE.MINOR | UFFD_MODE.WP, 1)]);
    expect(out.slice(4)).toEqual([errno('EINVAL'), errno('EINVAL'), errno('EINVAL'), okv(), okv(), errno('EINVAL'), okv(), okv(), okv()]);
  });

  it('UFD-11: unknown feature bits → EINVAL; dead uffd → EBADF', async () => {
    const out = await run(LINUX_618, [create(0, BigInt(1 << 20)), vm(), gmem(), mmap(), reg(UFFD_MODE.MISSING), resolve('COPY')]);
    expect([out[0], out[4], out[5]]).toEqual([errno('EINVAL'), errno('EBADF'), errno('EBADF')]);
  });

  it('UFD-2: under the series only INIT_SHARED files register', async () => {
    const out = await run(SERIES, [vm(), gmem(0, 4n * P, GMEM_FLAG.MMAP), mmap(0, 0), create(), reg(UFFD_MODE.MISSING), gmem(1), mmap(1, 1), reg(UFFD_MODE.MINOR, 1)]);
    expect([out[4], out[7]]).toEqual([errno('EINVAL'), okv()]);
  });

  it('UFD-6/7/8: COPY onto a populated page EEXIST, CONTINUE on a hole EFAULT, ZEROPAGE fills zeroes, COPY past EOF per variant', async () => {
    const out = await run(SERIES, [vm(), gmem(), mmap(0, 0, 8n * P), create(), reg(UFFD_MODE.MISSING | UFFD_MODE.MINOR, 0, 0, 0n, 8n * P),
      falloc(0, KEEP, 0n, P), resolve('COPY'), resolve('CONTINUE', P), resolve('ZEROPAGE', 2n * P), load(0, 2n * P), resolve('COPY', 4n * P),
      resolve('COPY', 3n * P), load(0, 3n * P)]);
    expect(out.slice(6)).toEqual([errno('EEXIST'), errno('EFAULT'), okv({ count: 4096 }), lv(0), errno('ENOMEM'), okv({ count: 4096 }), lv(0x11)]);
  });

  it('a failed resolve unregisters the page and the access completes as without uffd', async () => {
    const out = await run(SERIES, [vm(), gmem(), mmap(), create(), reg(UFFD_MODE.MISSING), store(0, 0n, 9, 'CONTINUE'), load(0, 0n)]);
    expect(out[5]).toEqual({ kind: 'uffd', event: { write: true, minor: false, wp: false, offset: 0n }, resolve: errno('EFAULT'), access: okv() });
    expect(out[6]).toEqual(lv(9));
  });

  it('UFD-12: after a punch the next access raises MISSING again', async () => {
    const out = await run(SERIES, [vm(), gmem(), mmap(), create(), reg(UFFD_MODE.MISSING), load(0, 0n, 'ZEROPAGE'),
      falloc(0, 3, 0n, P), load(0, 0n, 'COPY', 0x22)]);
    expect(out[5]).toMatchObject({ kind: 'uffd', access: lv(0) });
    expect(out[7]).toMatchObject({ kind: 'uffd', event: { minor: false }, access: lv(0x22) });
  });

  it('P-MINOR-ZERO: a fallocated folio raises MINOR (CONTINUE-ZEROES) or MISSING', async () => {
    const ops = [vm(), gmem(), mmap(), falloc(0, KEEP, 0n, P), create(), reg(UFFD_MODE.MISSING | UFFD_MODE.MINOR), load(0, 0n, 'CONTINUE')];
    expect((await run(SERIES, ops))[6]).toMatchObject({ event: { minor: true }, access: lv(0) });
    expect((await run(withProfile({ variants: { minorZero: 'MISSING' } }, SERIES), ops))[6]).toMatchObject({ event: { minor: false } });
  });

  it('P-UFFD-PRIV: a private page in a registered VMA → userfault + refused COPY + SIGBUS, or plain SIGBUS', async () => {
    const ops = [vm(0, 1), gmem(), mmap(), create(), reg(UFFD_MODE.MISSING),
      { kind: 'convert', fd: 0, api: 'GMEM-ATTR2', offset: 0n, len: P, toPrivate: true, errorOffsetIn: 0n } as Op, load(0, 0n)];
    expect((await run(SERIES, ops))[6]).toEqual(bus(0n));
    const uf = await run(withProfile({ variants: { uffdPriv: 'USERFAULT' } }, SERIES), ops);
    expect(uf[6]).toEqual({ kind: 'uffd', event: { write: false, minor: false, wp: false, offset: 0n }, resolve: errno('EINVAL'), access: bus(0n) });
  });

  it('uffd on memfd: MISSING then MINOR through a second mapping', async () => {
    const out = await run(LINUX_618, [{ kind: 'createMemfd', id: 0, size: 4n * P }, mmap(0), mmap(1), create(), reg(UFFD_MODE.MISSING, 0),
      reg(UFFD_MODE.MINOR, 1), store(0, 0n, 3, 'ZEROPAGE'), load(1, 0n, 'CONTINUE')]);
    expect(out[6]).toMatchObject({ kind: 'uffd', event: { write: true, minor: false }, access: okv() });
    expect(out[7]).toMatchObject({ kind: 'uffd', event: { minor: true }, access: lv(3) });
  });
});
