/**
 * The native target's memslot bookkeeping for the real guest (adapters/native/_internals/slot-table.ts):
 * which accesses could reach host memory through userspace_addr. Pure bookkeeping, no kernel.
 */
import { describe, expect, it } from 'vitest';
import { SlotTable } from '../../../adapters/native/_internals/slot-table.js';
import { guestAccessUnsupported, GUEST_LEVEL_UNSUPPORTED } from '../../../adapters/native/_internals/guest-support.js';
import { MEM, type OpOf } from '../../../spec/vocab/index.js';

const P = 4096n;
const region = (o: Partial<OpOf<'setMemoryRegion'>>): OpOf<'setMemoryRegion'> => ({
  kind: 'setMemoryRegion', vm: 0, v1: false, slot: 0, flags: 0, gpa: 0n, size: P, uaddr: { kind: 'map', map: 3, offset: 0n }, gmem: { kind: 'notOpen' }, gmemOffset: 0n, ...o,
});

describe('native slot table', () => {
  it('records accepted slots by GPA; a GUEST_MEMFD slot on an MMAP file (or its dup) is gmem-only', () => {
    const t = new SlotTable();
    t.vmCreated(0, 0);
    t.fileCreated(0, 3n);
    t.fileCreated(1, 0n);
    t.fileDuplicated(0, 2);
    t.accepted(region({ slot: 0, gpa: 0n, size: 4n * P }));
    t.accepted(region({ slot: 1, gpa: 1n << 30n, flags: MEM.GUEST_MEMFD, gmem: { kind: 'fd', fd: 2 } }));
    t.accepted(region({ slot: 2, gpa: 1n << 32n, flags: MEM.GUEST_MEMFD, gmem: { kind: 'fd', fd: 1 }, uaddr: { kind: 'null' } }));
    expect(t.at(0, 3n * P + 5n)).toMatchObject({ gfn: 0n, npages: 4n, gmemOnly: false, uaddr: { map: 3, offset: 0n } });
    expect(t.at(0, 4n * P)).toBeUndefined();
    expect(t.at(0, 1n << 30n)?.gmemOnly).toBe(true);
    expect(t.at(0, 1n << 32n)).toMatchObject({ gmemOnly: false, uaddr: null });
    expect(t.vmType(0)).toBe(0);
  });

  it('a move keeps the address, a delete removes, address space 1 is never used by the guest, close forgets', () => {
    const t = new SlotTable();
    t.accepted(region({ slot: 0, gpa: 0n }));
    t.accepted(region({ slot: 0, gpa: 8n * P, uaddr: { kind: 'null' } }));
    expect(t.at(0, 0n)).toBeUndefined();
    expect(t.at(0, 8n * P)?.uaddr).toEqual({ map: 3, offset: 0n });
    t.accepted(region({ slot: 0, size: 0n }));
    expect(t.at(0, 8n * P)).toBeUndefined();
    t.accepted(region({ slot: 1 << 16, gpa: 0n }));
    expect(t.at(0, 0n)).toBeUndefined();
    t.vmCreated(1, 0);
    t.accepted(region({ vm: 1 }));
    t.vmClosed(1);
    expect(t.at(1, 0n)).toBeUndefined();
    expect(t.vmType(1)).toBeUndefined();
  });

  it('guest ops are offered only where a real guest reads guest_memfd, each refusal with its reason', () => {
    expect(guestAccessUnsupported('GMEM')).toBeUndefined();
    expect(guestAccessUnsupported('UADDR')).toMatch(/userspace_addr, never from guest_memfd/);
    expect(guestAccessUnsupported({ undecided: 'the guest could not run: cannot start a guest in VM #2: KVM_SET_CPUID2 failed with EINVAL' })).toMatch(/KVM_SET_CPUID2/);
    expect(GUEST_LEVEL_UNSUPPORTED).toMatch(/pages_4k/);
  });
});
