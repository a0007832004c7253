/**
 * Which failed boots are tried once more: a stall before /init speaks, and a kernel report while
 * booting under multi-threaded TCG (QEMU's race with code patching); never a report once the
 * guest command runs, under single-threaded TCG or KVM, after an /init error, or after Ctrl-C.
 */
import { describe, expect, it } from 'vitest';
import { bootRetry, type BootFacts } from '../../../cli/vm/boot-retry.js';
import type { Accel } from '../../../cli/vm/accel.js';

const MTTCG: Accel = { kind: 'tcg', thread: 'multi', why: 'auto' };
const facts = (o: Partial<BootFacts> = {}): BootFacts => ({ guestStarted: false, accel: MTTCG, interrupted: false, ...o });
const OOPS = { kind: 'report', title: 'Oops: int3: 0000 [#1] SMP NOPTI' } as const;

describe('bootRetry', () => {
  it('retries a stall before the guest spoke, naming the limit and the last console line', () => {
    expect(bootRetry({ kind: 'boot-timeout' }, facts(), 120, '[ 1.0] virtio_blk')).toBe('the guest did not start within 120 s (last console line: [ 1.0] virtio_blk); booting again');
  });

  it('retries a kernel report during boot under MTTCG, saying why and that a second one is the finding', () => {
    const why = bootRetry(OOPS, facts(), 120, '');
    expect(why).toMatch(/^the guest kernel reported "Oops: int3: 0000 \[#1\] SMP NOPTI" while booting, before gmemcheck ran anything/);
    expect(why).toMatch(/a second report is the finding/);
  });

  it('does not retry a report once the guest command started, under thread=single or KVM', () => {
    expect(bootRetry(OOPS, facts({ guestStarted: true }), 120, '')).toBeUndefined();
    expect(bootRetry(OOPS, facts({ accel: { kind: 'tcg', thread: 'single', why: '' } }), 120, '')).toBeUndefined();
    expect(bootRetry(OOPS, facts({ accel: { kind: 'kvm', why: '' } }), 120, '')).toBeUndefined();
  });

  it('does not retry after an /init error, after Ctrl-C, or any other end', () => {
    expect(bootRetry({ kind: 'boot-timeout' }, facts({ initError: 'no 9p' }), 120, '')).toBeUndefined();
    expect(bootRetry({ kind: 'boot-timeout' }, facts({ interrupted: true }), 120, '')).toBeUndefined();
    expect(bootRetry(OOPS, facts({ interrupted: true }), 120, '')).toBeUndefined();
    for (const end of [{ kind: 'exit', code: 0 }, { kind: 'timeout' }, { kind: 'signal', signal: 'SIGTERM' }, { kind: 'died', why: 'x' }] as const) {
      expect(bootRetry(end, facts(), 120, ''), end.kind).toBeUndefined();
    }
  });
});
