// Proposed series: in-place conversion (SHR-2..7), NO_DIRECT_MAP (DMAP-1, DMAP-5) and write() (FIO-15, DMAP-6).
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../spec/vocab/index.js';
import { bus, errno, gmem, LINUX_618, load, MI, mmap, lv, okv, P, run, SERIES, store, vm, withProfile } from './_fixtures.js';

const conv = (toPrivate: boolean, offset = 0n, len = P, api: 'GMEM-ATTR2' | 'GMEM-CONVERT' = 'GMEM-ATTR2'): Op =>
  ({ kind: 'convert', fd: 0, api, offset, len, toPrivate, errorOffsetIn: 0n });
const pwrite = (offset: bigint, len = 4096, value = 0x66): Op => ({ kind: 'fileIo', fd: 0, call: 'pwrite', offset, len, value });
const NDM = MI | 4n;

describe('emulator: proposed series', () => {
  it('SHR-0: without the series every conversion ioctl is ENOTTY and VM attributes are ENOTTY', async () => {
    const out = await run(LINUX_618, [vm(), gmem(), conv(true), { kind: 'setMemoryAttributes', vm: 0, gpa: 0n, size: P, attributes: 8n }]);
    expect(out.slice(2)).toEqual([errno('ENOTTY'), errno('ENOTTY')]);
  });

  it('SHR-3/4/5/6: to-private zaps and SIGBUSes, GUP EFAULT, to-shared restores with contents preserved', async () => {
    const out = await run(SERIES, [vm(0, 1), gmem(), mmap(), store(0, 0n, 0xab), conv(true), load(0, 0n),
      { kind: 'kernelAccess', map: 0, offset: 0n, len: 1, call: 'process_vm_readv', value: 0 }, conv(false), load(0, 0n), load(0, P)]);
    expect(out.slice(4)).toEqual([okv(), bus(0n), errno('EFAULT'), okv(), lv(0xab), lv(0)]);
  });

  it('SHR-3 validation: type-0 VM, unaligned, beyond EOF, zero length → EINVAL; other API → ENOTTY', async () => {
    const t0 = await run(SERIES, [vm(0, 0), gmem(), conv(true)]);
    expect(t0[2]).toEqual(errno('EINVAL'));
    const out = await run(SERIES, [vm(0, 1), gmem(), conv(true, 1n), conv(true, 0n, 8n * P), conv(true, 0n, 0n), conv(true, 0n, P, 'GMEM-CONVERT')]);
    expect(out.slice(2)).toEqual([errno('EINVAL'), errno('EINVAL'), errno('EINVAL'), errno('ENOTTY')]);
  });

  it('P-CONV-CONTENT=ZERO clears the converted range', async () => {
    const p = withProfile({ variants: { convContent: 'ZERO' } }, SERIES);
    const out = await run(p, [vm(0, 1), gmem(), mmap(), store(0, 0n, 0xab), conv(true), conv(false), load(0, 0n)]);
    expect(out[6]).toEqual(lv(0));
  });

  it('SHR-7 under P-CONV-CONTENT=ZERO: converting a page to the state it already has keeps its bytes', async () => {
    // Found by the mutants-era generator: the emulator used to zero every page of the range.
    const p = withProfile({ variants: { convContent: 'ZERO' } }, SERIES);
    const out = await run(p, [vm(0, 1), gmem(), mmap(), store(0, P, 0xab), conv(false, 0n, 2n * P), load(0, P)]);
    expect(out.slice(4)).toEqual([okv(), lv(0xab)]);
  });

  it('DMAP-1/5: NO_DIRECT_MAP is accepted only where cap 244 lists it; GUP refused, host access works', async () => {
    expect((await run(LINUX_618, [vm(), gmem(0, 4n * P, NDM)]))[1]).toEqual(errno('EINVAL'));
    const out = await run(SERIES, [vm(), gmem(0, 4n * P, NDM), mmap(), store(0, 0n, 1), load(0, 0n),
      { kind: 'kernelAccess', map: 0, offset: 0n, len: 1, call: 'process_vm_readv', value: 0 }]);
    expect(out.slice(1)).toEqual([okv(), okv(), okv(), lv(1), errno('EFAULT')]);
  });

  it('FIO-15 / DMAP-6 (P-WRITE=ONCE): pwrite populates once, then EEXIST; unaligned or past EOF EINVAL', async () => {
    const out = await run(SERIES, [vm(), gmem(0, 4n * P, NDM), pwrite(0n), pwrite(0n), pwrite(1n), pwrite(4n * P), mmap(), load(0, 0n),
      { kind: 'fileIo', fd: 0, call: 'read', offset: 0n, len: 1, value: 0 }]);
    expect(out.slice(2)).toEqual([okv({ count: 4096 }), errno('EEXIST'), errno('EINVAL'), errno('EINVAL'), okv(), lv(0x66), errno('EINVAL')]);
  });

  it('P-WRITE=MERMAP writes again; P-DMAP-GRAN=MAPPING refuses a write to a fallocated folio', async () => {
    const mermap = await run(withProfile({ variants: { write: 'MERMAP' } }, SERIES), [vm(), gmem(0, 4n * P, NDM), pwrite(0n), pwrite(0n)]);
    expect(mermap.slice(2)).toEqual([okv({ count: 4096 }), okv({ count: 4096 })]);
    const mapping = await run(withProfile({ variants: { dmapGran: 'MAPPING' } }, SERIES),
      [vm(), gmem(0, 4n * P, NDM), { kind: 'fallocate', fd: 0, mode: 1, offset: 0n, len: P }, pwrite(0n), pwrite(P)]);
    expect(mapping.slice(3)).toEqual([errno('EEXIST'), okv({ count: 4096 })]);
  });

  it('P-FLAG-BIT2=WRITE: pwrite needs the flag (ENODEV without it)', async () => {
    const p = withProfile({ variants: { flagBit2: 'WRITE' } }, SERIES);
    const out = await run(p, [vm(), gmem(0, 4n * P, MI), pwrite(0n), gmem(1, 4n * P, NDM), { ...pwrite(0n), fd: 1 } as Op]);
    expect([out[2], out[4]]).toEqual([errno('ENODEV'), okv({ count: 4096 })]);
  });
});
