/**
 * Kernel constants live once, in spec/vocab/uapi.ts. The C side's copy is generated from it:
 * adapters/native/src/gm_uapi.h must be exactly what scripts/gen-uapi-h.ts writes, and the struct
 * sizes it asserts at compile time must be what the TypeScript layouts add up to.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IOCTL, STRUCTS, type CType } from '../../../spec/vocab/uapi.js';
import { UAPI_H_PATH, uapiHeader } from '../../../spec/vocab/uapi-c.js';

const SIZE: Readonly<Record<string, number>> = { u8: 1, u16: 2, u32: 4, u64: 8, s64: 8 };
const sizeOf = (t: CType): number => (t.startsWith('struct ') ? STRUCTS[t.slice(7) as keyof typeof STRUCTS].size : SIZE[t]!);

describe('the generated C uAPI header', () => {
  it(`${UAPI_H_PATH} is current (regenerate: npx tsx scripts/gen-uapi-h.ts)`, () => {
    expect(readFileSync(UAPI_H_PATH, 'utf8')).toBe(uapiHeader());
  });
  it('each structure declared in TypeScript adds up to the size the kernel defines (no implicit padding)', () => {
    for (const [name, s] of Object.entries(STRUCTS)) {
      expect(s.fields.reduce((n, [, t, count]) => n + sizeOf(t) * (count ?? 1), 0), name).toBe(s.size);
    }
  });
  it('the ioctl encodings match the numbers the kernel headers give', () => {
    expect(IOCTL.KVM_CREATE_GUEST_MEMFD).toBe(0xc040aed4);
    expect(IOCTL.KVM_SET_USER_MEMORY_REGION2).toBe(0x40a0ae49);
    expect(IOCTL.UFFDIO_UNREGISTER).toBe(0x8010aa01);
    expect(IOCTL.PROCMAP_QUERY).toBe(0xc0686611);
  });
});
