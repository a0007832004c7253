/**
 * Renders ./uapi.ts as a C header (plain C, usable from C++): the ioctl numbers, the constants the
 * C side needs and the structures with a compile-time size check each. The checked-in copy is
 * adapters/native/src/gm_uapi.h; test/unit/meta/uapi-header.test.ts fails when it is stale
 * (regenerate with `npx tsx scripts/gen-uapi-h.ts`). Plain C (C++ has no _Static_assert): only the
 * C syscall layer includes it.
 */
import { C_CONSTANTS, IOCTL, STRUCTS, type CStruct, type CType } from './uapi.js';

const C_TYPE: Readonly<Record<string, string>> = { u8: 'uint8_t', u16: 'uint16_t', u32: 'uint32_t', u64: 'uint64_t', s64: 'int64_t' };

const cType = (t: CType): string => (t.startsWith('struct ') ? t : C_TYPE[t]!);

/** One line per structure: consecutive fields of one type share a declaration. */
const struct = (name: string, s: CStruct): string => {
  const groups: string[] = [];
  let last: CType | undefined;
  for (const [f, t, n] of s.fields) {
    const decl = `${f}${n === undefined ? '' : `[${n}]`}`;
    if (t === last) groups[groups.length - 1] += `, ${decl}`;
    else groups.push(`${cType(t)} ${decl}`);
    last = t;
  }
  return [
    `/* ${s.cite} */`,
    `struct ${name} { ${groups.join('; ')}; };`,
    `_Static_assert(sizeof(struct ${name}) == ${s.size}, "struct ${name} is ${s.size} bytes");`,
  ].join('\n');
};

const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}`;

export const UAPI_H_PATH = 'adapters/native/src/gm_uapi.h';

/** The header text: ioctls, constants, structures (a reproducer embeds only the items it uses). */
export const uapiHeader = (): string => [
  [
    '/* SPDX-License-Identifier: GPL-2.0-only */',
    '/*',
    ' * guest_memfd uAPI numbers and structures (x86-64), generated from spec/vocab/uapi.ts by',
    ' * scripts/gen-uapi-h.ts: do not edit. The system headers are too old for this uAPI. Plain C.',
    ' */',
    '#ifndef GM_UAPI_H',
    '#define GM_UAPI_H',
    '#include <stdint.h>',
  ].join('\n'),
  Object.entries(IOCTL).map(([n, v]) => `#define ${n} ${hex(v)}UL`).join('\n'),
  Object.entries(C_CONSTANTS).map(([n, v]) => `#define ${n} ${hex(v)}`).join('\n'),
  ...Object.entries(STRUCTS).map(([n, s]) => struct(n, s)),
  '#endif /* GM_UAPI_H */\n',
].join('\n\n');
