/**
 * Why this test? The native probe reads f_type (P-FSMAGIC) with fstatfs on fd handle 0 of the probe
 * context, which must be a guest_memfd. Issue 15's io_uring probe created a memfd first and took
 * handle 0: on a kernel with guest_memfd (Debian 7.2.13 in `gmemcheck vm`) the probe then saw
 * tmpfs, kept 6.18's ANON, and a run judged the kernel's real 0x474d454d as a CRE-16 failure (and
 * the lease rule LIFE-13 by the wrong file system). Handle 0 must be the first guest_memfd.
 */
import { describe, expect, it } from 'vitest';
import { probeByOps } from '../../../spec/vocab/probe-ops.js';
import { Kernel } from '../../../adapters/emulator/kernel.js';
import { step } from '../../../adapters/emulator/dispatch.js';
import { upstream } from '../../../spec/profiles/index.js';
import type { Op } from '../../../spec/vocab/index.js';

describe('probeByOps', () => {
  it('fd handle 0 is a guest_memfd on a kernel that has one (the emulator implementing upstream answers)', () => {
    const k = new Kernel(upstream, 1, []);
    const issued: Op[] = [];
    const b = probeByOps((op) => { issued.push(op); return step(k, op); }, {});
    const first = issued.find((op) => (op.kind === 'createGmem' || op.kind === 'createMemfd') && op.id === 0);
    expect(first?.kind).toBe('createGmem');
    // The io_uring probe still ran (on a memfd of its own).
    expect(b.iouringBufMaxErrno).toBe('EINVAL');
  });
});
