/**
 * MAP-35 with UFD-20: a shared futex's FOLL_WRITE pin of a uffd-wp page needs a userfault the
 * user-mode-only context cannot raise (EFAULT), and get_futex_key retries any EFAULT for read
 * (kernel/futex/core.c, v7.2): the read pin needs none, so WAIT compares the word (ETIMEDOUT).
 * Found by the emulator property on uffd-v2/P-UFFD-WP=ACCEPT (the spec answered EFAULT).
 */
import { describe, expect, it } from 'vitest';
import { driver, P } from './helpers.js';
import { resolveProfile } from '../../../spec/profiles/index.js';
import { err } from '../../../spec/vocab/index.js';

describe('MAP-35: futex on a uffd-wp page', () => {
  it('WAIT retries the pin for read and compares the word', () => {
    const d = driver(resolveProfile('uffd-v2/P-UFFD-WP=ACCEPT'));
    d.one({ kind: 'createVm', id: 0, type: 0n });
    d.one({ kind: 'createGmem', vm: 0, id: 0, size: P, flags: 3n, reserved: [0n, 0n, 0n, 0n, 0n, 0n] });
    d.one({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3n, shared: true });
    d.one({ kind: 'uffdCreate', id: 0, features: 0n });
    d.do({ kind: 'load', map: 0, offset: 0n, onUserfault: 'COPY', fill: 0 });
    d.one({ kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: P, mode: 3n });
    d.one({ kind: 'uffdWriteProtect', uffd: 0, map: 0, offset: 0n, length: P, mode: 1n });
    expect(d.one({ kind: 'futex', map: 0, offset: 0n, op: 'WAIT', value: 0 })).toEqual(err('ETIMEDOUT'));
  });
});
