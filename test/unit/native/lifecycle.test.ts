/** Instances are isolated and close() releases every fd, mapping, VM and uffd (idempotently). */
import { expect, it } from 'vitest';
import { createNativeTarget, nativeAvailable } from '../../../adapters/native/index.js';
import { TargetBrokenError } from '../../../spec/vocab/errors.js';
import { describeNative, load, map, memfd, openFds, runOps, store, vm0 } from './_support.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';


describeNative('native target lifecycle', () => {
  it('nativeAvailable() is ok on this machine', () => {
    expect(nativeAvailable()).toEqual({ ok: true });
  });

  it('close() leaves no fds behind, is idempotent, and apply() after close() rejects', async () => {
    const before = openFds();
    const t = await createNativeTarget();
    await runOps([vm0, memfd(0, 4n * P), map(0, 0, 4n * P), { kind: 'dup', fd: 0, id: 1 }, { kind: 'createMemfd', id: 2, size: P },
      map(1, 2, P), { kind: 'uffdCreate', id: 0, features: 0 },
      { kind: 'uffdRegister', uffd: 0, map: 1, offset: 0n, length: P, mode: 1 }, load(1, 0n, 'COPY', 1),
      { kind: 'createVm', id: 1, type: 0 }, store(0, 1n, 1)], t);
    expect(openFds()).toBeGreaterThan(before + 4);
    await t.close();
    await t.close();
    expect(openFds()).toBe(before);
    await expect(t.apply(vm0)).rejects.toBeInstanceOf(TargetBrokenError);
  });

  it('handles are per instance: one target never sees another one\'s objects', async () => {
    const a = await createNativeTarget();
    const b = await createNativeTarget();
    try {
      await runOps([vm0, memfd(0, P), map(0, 0, P), store(0, 0n, 77)], a);
      expect(await runOps([{ kind: 'fstat', fd: 0 }, load(0, 0n)], b)).toEqual([
        { kind: 'errno', errno: 'EBADF' }, { kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_MAPERR', offset: 0n },
      ]);
      expect(await a.apply(load(0, 0n))).toEqual({ kind: 'ok', value: { value: 77 } });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('probe() releases its scratch objects', async () => {
    const before = openFds();
    const t = await createNativeTarget();
    await t.probe();
    await t.close();
    expect(openFds()).toBe(before);
  });
});
