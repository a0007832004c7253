/** spec/vocab/CONVENTIONS.md: dead map handles answer before any other check; rule coverage. */
import { describe, it, expect } from 'vitest';
import { driver, P } from './helpers.js';
import { linux618 } from '../../../spec/profiles/linux-6.18.js';
import { ALL_RULES } from '../../../spec/index.js';
import { KERNEL_RULES } from '../../../spec/catalogue/index.js';
import { domainOfRule, err, ok } from '../../../spec/vocab/index.js';

describe('dead map handles (CONVENTIONS.md)', () => {
  it('answer by convention, before argument checks', () => {
    const d = driver(linux618);
    expect(d.one({ kind: 'load', map: 4, offset: 3n, onUserfault: 'COPY', fill: 0 })).toEqual({ kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_MAPERR', offset: 3n });
    expect(d.one({ kind: 'munmap', map: 4 })).toEqual(ok());
    expect(d.one({ kind: 'mprotect', map: 4, prot: 0x100 })).toEqual(err('ENOMEM'));
    expect(d.one({ kind: 'madvise', map: 4, offset: 1n, length: 0n, advice: 'DONTNEED' })).toEqual(err('EFAULT'));
    expect(d.one({ kind: 'mbind', map: 4, offset: 0n, length: P, mode: 999, nodes: 1, flags: 0 })).toEqual(err('EFAULT'));
    expect(d.one({ kind: 'getMempolicy', map: 4, offset: 0n, query: 'ADDR' })).toEqual(err('EFAULT'));
    expect(d.one({ kind: 'mincore', map: 4, offset: 1n, pages: 0 })).toEqual(err('EFAULT'));
    expect(d.one({ kind: 'kernelAccess', map: 4, offset: 0n, len: 0, call: 'process_vm_readv', value: 0 })).toEqual(err('EFAULT'));
    expect(d.one({ kind: 'uffdRegister', uffd: 9, map: 4, offset: 0n, length: P, mode: 0 })).toEqual(err('EFAULT'));
    expect(d.one({ kind: 'uffdResolve', uffd: 9, how: 'COPY', map: 4, offset: 1n, length: P, fill: 0 })).toEqual(err('EFAULT'));
  });

  it('fd checks made before the fd lookup still win', () => {
    const d = driver(linux618);
    expect(d.one({ kind: 'mmap', fd: 5, id: 0, offset: 1n, length: P, prot: 3, shared: true })).toEqual(err('EINVAL'));
    expect(d.one({ kind: 'mmap', fd: 5, id: 0, offset: 0n, length: P, prot: 3, shared: true })).toEqual(err('EBADF'));
    expect(d.one({ kind: 'fileIo', fd: 5, call: 'pread', offset: 1n << 63n, len: 1, value: 0 })).toEqual(err('EINVAL'));
  });
});

describe('rule coverage', () => {
  it('at least 100 numbered rule ids in nine domains are named by the spec', () => {
    const ids = new Set(ALL_RULES.map((r) => r.id));
    const k = KERNEL_RULES.filter((r) => ids.has(r.id));
    expect(k.length).toBeGreaterThanOrEqual(100);
    for (const d of ['creation', 'fileops', 'mmap', 'shareability', 'memslot', 'mempolicy', 'uffd', 'directmap', 'guest'] as const) {
      expect(k.some((r) => domainOfRule(r.id) === d), d).toBe(true);
    }
  });
});
