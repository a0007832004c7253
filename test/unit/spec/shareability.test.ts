import { describe, it, expect } from 'vitest';
import { driver, P } from './helpers.js';
import { linux618 } from '../../../spec/profiles/linux-6.18.js';
import { conversionV8, initPrivateRfc } from '../../../spec/profiles/series.js';
import { withVariant } from '../../../spec/profiles/index.js';
import { err, ok, sigbus, type Op, type Profile } from '../../../spec/vocab/index.js';

const setup = (p: Profile, type = 0, flags = 3n) => {
  const d = driver(p);
  d.one({ kind: 'createVm', id: 0, type: BigInt(type) });
  d.one({ kind: 'createGmem', vm: 0, id: 0, size: 4n * P, flags, reserved: [] });
  d.one({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * P, prot: 3n, shared: true });
  return d;
};
const conv = (toPrivate: boolean, offset = 0n, len = P, api: 'GMEM-ATTR2' | 'GMEM-CONVERT' = 'GMEM-ATTR2'): Op => ({ kind: 'convert', fd: 0, api, offset, len, toPrivate, errorOffsetIn: 0n });
const load = (offset: bigint): Op => ({ kind: 'load', map: 0, offset, onUserfault: 'COPY', fill: 0 });

describe('shareability (SHR)', () => {
  it('SHR-0/1: no conversion uAPI on 6.18', () => {
    const d = setup(linux618);
    expect(d.one(conv(true))).toEqual(err('ENOTTY'));
    expect(d.one({ kind: 'setMemoryAttributes', vm: 0, gpa: 0n, size: P, attributes: 8n })).toEqual(err('ENOTTY'));
  });

  it('SHR-2..8: v8 converts on private-memory VMs, preserving contents', () => {
    const t0 = setup(conversionV8, 0);
    expect(t0.one(conv(true))).toEqual(err('EINVAL')); // type 0 has no private memory
    const d = setup(conversionV8, 1);
    d.one({ kind: 'store', map: 0, offset: 5n, value: 3, onUserfault: 'COPY', fill: 0 });
    expect(d.one(conv(true, 1n))).toEqual(err('EINVAL'));
    expect(d.one(conv(true, 0n, 8n * P))).toEqual(err('EINVAL'));
    expect(d.one(conv(true))).toEqual(ok());
    expect(d.one(load(5n))).toEqual(sigbus(5n));
    expect(d.one({ kind: 'kernelAccess', map: 0, offset: 5n, len: 1, call: 'process_vm_readv', value: 0 })).toEqual(err('EFAULT'));
    expect(d.one(conv(true))).toEqual(ok());
    expect(d.one(conv(false))).toEqual(ok());
    expect(d.one(load(5n))).toEqual(ok({ value: 3 }));
  });

  it('SHR-8 ZERO / UNSPECIFIED contents', () => {
    const z = setup(withVariant(conversionV8, 'convContent', 'ZERO'), 1);
    z.one({ kind: 'store', map: 0, offset: 5n, value: 3, onUserfault: 'COPY', fill: 0 });
    z.one(conv(true));
    z.one(conv(false));
    expect(z.one(load(5n))).toEqual(ok({ value: 0 }));
    const u = setup(withVariant(conversionV8, 'convContent', 'UNSPECIFIED'), 1);
    u.one({ kind: 'store', map: 0, offset: 5n, value: 3, onUserfault: 'COPY', fill: 0 });
    u.one(conv(true));
    u.one(conv(false));
    const v = u.do(load(5n));
    expect(v.allowed).toHaveLength(256);
    expect(v.loose).toBeDefined();
  });

  it('SHR-10: RFC v2 INIT_PRIVATE flag and KVM_GMEM_CONVERT', () => {
    const d = driver(initPrivateRfc);
    d.one({ kind: 'createVm', id: 0, type: 0n });
    expect(d.one({ kind: 'createGmem', vm: 0, id: 0, size: P, flags: 2n, reserved: [] })).toEqual(err('EINVAL'));
    expect(d.one({ kind: 'createGmem', vm: 0, id: 1, size: P, flags: 1n, reserved: [] })).toEqual(ok());
    d.one({ kind: 'mmap', fd: 1, id: 0, offset: 0n, length: P, prot: 3n, shared: true });
    expect(d.one(load(0n))).toEqual(ok({ value: 0 })); // default shared
    expect(d.one({ kind: 'convert', fd: 1, api: 'GMEM-CONVERT', offset: 0n, len: P, toPrivate: true, errorOffsetIn: 0n })).toEqual(ok());
    expect(d.one(load(0n))).toEqual(sigbus(0n));
  });
});
