// Open questions (docs/rules.md) not covered elsewhere: one behaviour per variant value.
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../spec/vocab/index.js';
import { GMEM_FLAG, MPOL, UFFD_MODE } from '../../../spec/vocab/index.js';
import { bus, errno, gmem, LINUX_618, load, lv, MI, mmap, okv, P, run, SERIES, slot, store, vm, withProfile } from './_fixtures.js';

const madv = (advice: Extract<Op, { kind: 'madvise' }>['advice']): Op => ({ kind: 'madvise', map: 0, offset: 0n, length: P, advice });

describe('emulator: §4 variants', () => {
  it('P-RESERVED: IGNORED accepts non-zero reserved words, MUST-BE-ZERO rejects them', async () => {
    const ops = [vm(), gmem(0, P, MI, 0, [0n, 0n, 0n, 0n, 0n, ~0n])];
    expect((await run(LINUX_618, ops))[1]).toEqual(okv());
    expect((await run(withProfile({ variants: { reserved: 'MUST-BE-ZERO' } }), ops))[1]).toEqual(errno('EINVAL'));
  });

  it('P-DEFAULT-SHARE=INIT_PRIVATE: bit 1 means private and needs bit 0; MMAP alone is shared', async () => {
    const p = withProfile({ variants: { defaultShare: 'INIT_PRIVATE' } });
    const out = await run(p, [vm(), gmem(0, P, GMEM_FLAG.INIT_SHARED), gmem(1, P, GMEM_FLAG.MMAP), mmap(0, 1, P), load(0, 0n),
      gmem(2, P, MI), mmap(1, 2, P), load(1, 0n)]);
    expect([out[1], out[4], out[7]]).toEqual([errno('EINVAL'), lv(0), bus(0n)]);
  });

  it('P-MMAP-NOSHARED-GUEST: GUEST-ONLY binds MMAP-only gmem, REJECT refuses it on a type-0 VM', async () => {
    const ops = [vm(), gmem(0, P, GMEM_FLAG.MMAP), slot(0, 0, 0n, P, 0)];
    expect((await run(LINUX_618, ops))[2]).toEqual(okv());
    expect((await run(withProfile({ variants: { mmapNoSharedGuest: 'REJECT' } }), ops))[2]).toEqual(errno('EINVAL'));
  });

  it('P-THP-COLLAPSE=UNPATCHED: collapse succeeds and the next fault on the large folio SIGBUSes', async () => {
    const out = await run(withProfile({ variants: { thpCollapse: 'UNPATCHED' } }), [vm(), gmem(), mmap(), store(0, 0n, 1), madv('COLLAPSE'), load(0, 0n)]);
    expect(out.slice(4)).toEqual([okv(), bus(0n)]);
  });

  it('P-UFFD-WP: sync WP on INIT_SHARED gmem is ACCEPTed or REJECTed under the series', async () => {
    const ops = [vm(), gmem(), mmap(), { kind: 'uffdCreate', id: 0, features: 0 } as Op,
      { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: P, mode: UFFD_MODE.WP } as Op];
    expect((await run(SERIES, ops))[4]).toEqual(errno('EINVAL'));
    expect((await run(withProfile({ variants: { uffdWp: 'ACCEPT' } }, SERIES), ops))[4]).toEqual(okv());
  });

  it('P-UFFD-COPY-EOF: COPY past EOF is ENOMEM or EFAULT', async () => {
    const ops = [vm(), gmem(0, P), mmap(0, 0, 2n * P), { kind: 'uffdCreate', id: 0, features: 0 } as Op,
      { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: 2n * P, mode: UFFD_MODE.MISSING } as Op,
      { kind: 'uffdResolve', uffd: 0, how: 'COPY', map: 0, offset: P, length: P, fill: 1 } as Op];
    expect((await run(SERIES, ops))[5]).toEqual(errno('ENOMEM'));
    expect((await run(withProfile({ variants: { uffdCopyEof: 'EFAULT' } }, SERIES), ops))[5]).toEqual(errno('EFAULT'));
  });

  it('P-ILX: shared-policy interleave steps through the nodes by 2·pgoff (PGOFF) or by i_ino + pgoff (INODE)', async () => {
    const node = (offset: bigint): Op => ({ kind: 'getMempolicy', map: 0, offset, query: 'ADDR_NODE' });
    const ops = [vm(), gmem(), mmap(), { kind: 'mbind', map: 0, offset: 0n, length: 4n * P, mode: MPOL.INTERLEAVE, nodes: 3, flags: 0 } as Op,
      node(0n), node(P), node(2n * P)];
    const pgoff = await run(withProfile({ numaNodes: 2, variants: { polScope: 'INODE', ilx: 'PGOFF' } }), ops);
    expect(pgoff.slice(4)).toEqual([okv({ node: 0 }), okv({ node: 0 }), okv({ node: 0 })]);
    const ino = await run(withProfile({ numaNodes: 2, variants: { polScope: 'INODE', ilx: 'INODE' } }), ops);
    const nodes = ino.slice(4).map((o) => (o.kind === 'ok' ? (o.value as { node: number }).node : -1));
    expect(nodes[0]).not.toBe(nodes[1]);
    expect(nodes[0]).toBe(nodes[2]);
  });
});
