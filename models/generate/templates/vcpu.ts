/**
 * Templates for the vCPU side (ENV-11, CRE-14/15, SLOT-22..25). vCPU ids sit around the
 * configurations' KVM_MAX_VCPU_IDS (4096 with the default CONFIG_KVM_MAX_NR_VCPUS, 16384 with
 * MAXSMP) and above 32 bits (the unsigned long argument); id 0 is left to the harness guest
 * (adapters/native/_internals/ops-vcpu.ts). Pre-faults aim at the memslots of the sequence: inside,
 * across the end (partial progress), just below the start, at GPA 0, and at the validation edges
 * (unaligned, size 0, a range that wraps, flag bits, padding).
 */
import fc from 'fast-check';
import { pick } from '../context.js';
import { template, type TemplateArbs } from '../template.js';
import { word64Arb } from '../flags.js';

const P = 4096n;
const U64 = 1n << 64n;

const vcpuIdArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(1n, 2n, 3n, 7n) },
  { weight: 2, arbitrary: fc.constantFrom(4095n, 4096n, 16383n, 16384n, (1n << 32n) + 1n, 1n << 63n, U64 - 1n) },
);

/** Where a pre-fault starts, relative to a memslot of the sequence (or absolute). */
const whereArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ slot: fc.nat(), at: fc.constantFrom('start', 'inside', 'lastPage', 'below') }) },
  { weight: 2, arbitrary: fc.constantFrom(0n, 1n << 32n, 1n, U64 - P).map((abs) => ({ abs })) },
);

const sizeArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(P, 2n * P, 4n * P) },
  { weight: 1, arbitrary: fc.constantFrom(0n, 1n, P + 1n, 'wrap' as const) },
);

export const vcpuTemplates = {
  createVcpu: fc.record({ n: fc.nat(), vcpuId: vcpuIdArb }).map(({ n, vcpuId }) =>
    template('createVcpu', (c) => ({ kind: 'createVcpu', vm: pick(n, c.vms), id: c.vcpus, vcpuId }))),
  preFault: fc.record({
    n: fc.nat(), where: whereArb, size: sizeArb,
    flags: word64Arb([0n], { known: 0n, weight: 1 }),
    padding: fc.oneof({ weight: 6, arbitrary: fc.constant([] as bigint[]) }, { weight: 1, arbitrary: fc.constant([1n, 0n, 0n, 0n, 1n << 63n]) }),
  }).map(({ n, where, size, flags, padding }) => template('preFault', (c) => {
    const s = 'slot' in where && c.slots.length > 0 ? c.slots[where.slot % c.slots.length] : undefined;
    const gpa = 'abs' in where ? where.abs
      : s === undefined ? 0n
        : where.at === 'start' ? s.gpa
          : where.at === 'inside' ? s.gpa + (s.size / P / 2n) * P
            : where.at === 'lastPage' ? s.gpa + s.size - P : (s.gpa - P + U64) % U64;
    const sz = size === 'wrap' ? U64 - gpa + P > U64 - 1n ? U64 - 1n : U64 - gpa + P : size;
    return { kind: 'preFault', vcpu: pick(n, c.vcpus), gpa, size: sz, flags, padding };
  })),
} satisfies TemplateArbs;
