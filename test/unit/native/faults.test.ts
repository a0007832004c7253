/**
 * Host faults come back as outcomes (guard.cc): SIGBUS on private-only gmem pages and on pages past
 * EOF, SIGSEGV for stores through PROT_READ and for addresses past a mapping, with si_addr made
 * map-relative. Thousands of them must not disturb the process. The fault machinery is the same
 * for every file, so it is proven on memfd wherever the addon runs; the private-only SIGBUS needs
 * guest_memfd.
 */
import { expect, it } from 'vitest';
import { sigbus } from '../../../spec/vocab/index.js';
import { createNativeTarget } from '../../../adapters/native/index.js';
import { describeGmem, describeNative, gmem, load, map, memfd, runOps, store, vm0 } from './_support.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';

const segv = (code: 'SEGV_ACCERR' | 'SEGV_MAPERR', offset: bigint) => ({ kind: 'signal', signal: 'SIGSEGV', code, offset });

describeGmem('native faults on guest_memfd', () => {
  it('a load/store on a private-only mapping is SIGBUS BUS_ADRERR at the exact offset', async () => {
    const out = await runOps([vm0, gmem(0, 4n * P, 1n), map(0, 0, 4n * P), load(0, 2n * P + 123n), store(0, 3n * P + 7n, 1),
      { kind: 'fallocate', fd: 0, mode: 1, offset: 0n, len: P }, load(0, 5n)]);
    expect(out.slice(3)).toEqual([sigbus(2n * P + 123n), sigbus(3n * P + 7n), { kind: 'ok' }, sigbus(5n)]);
  });

  it('a load past EOF through a longer shared mapping is SIGBUS', async () => {
    const out = await runOps([vm0, gmem(0, P), map(0, 0, 3n * P), load(0, P + 1n), load(0, 2n * P + 4095n),
      map(1, 0, P, 3, true, 1n << 40n), load(1, 0n)]);
    expect(out.slice(3)).toEqual([sigbus(P + 1n), sigbus(2n * P + 4095n), { kind: 'ok' }, sigbus(0n)]);
  });
});

describeNative('native faults', () => {
  it('a load past EOF of a memfd through a longer shared mapping is SIGBUS at the exact offset', async () => {
    const out = await runOps([memfd(0, P), map(0, 0, 3n * P), load(0, P + 1n), store(0, 2n * P + 4095n, 1), load(0, 7n)]);
    expect(out.slice(2)).toEqual([sigbus(P + 1n), sigbus(2n * P + 4095n), { kind: 'ok', value: { value: 0 } }]);
  });

  it('a store through PROT_READ is SIGSEGV SEGV_ACCERR; PROT_NONE loads too; loads past the map SEGV_MAPERR', async () => {
    const out = await runOps([memfd(0, 2n * P), map(0, 0, 2n * P, 1), store(0, 9n, 1), load(0, 9n),
      { kind: 'mprotect', map: 0, prot: 0 }, load(0, P), load(0, 2n * P + 8n)]);
    expect(out.slice(2)).toEqual([segv('SEGV_ACCERR', 9n), { kind: 'ok', value: { value: 0 } }, { kind: 'ok' },
      segv('SEGV_ACCERR', P), segv('SEGV_MAPERR', 2n * P + 8n)]);
  });

  it('10,000 faulting accesses neither crash nor leak, and ordinary accesses keep working', async () => {
    const t = await createNativeTarget();
    try {
      // map 0: four pages over a one-page memfd (pages 1..3 are past EOF: SIGBUS); map 1: read-only.
      await runOps([memfd(0, P), map(0, 0, 4n * P), memfd(1, P), map(1, 1, P, 1)], t);
      for (let i = 0; i < 10_000; i++) {
        const o = await t.apply(i % 2 === 0 ? load(0, P + BigInt(i % 12288)) : store(1, BigInt(i % 4096), 1));
        expect(o.kind).toBe('signal');
      }
      expect(await t.apply(load(1, 17n))).toEqual({ kind: 'ok', value: { value: 0 } });
    } finally {
      await t.close();
    }
  });
});
