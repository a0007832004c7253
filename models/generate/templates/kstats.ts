/**
 * Template of kvmStats (spec/vocab/ops-kstats.ts). Its aim: the VM a guest access touched last,
 * else the VM of the last memslot (the page counters only move there), else any VM; a vCPU's file
 * when the sequence has one; each extra read position and each write call.
 */
import fc from 'fast-check';
import { pick } from '../context.js';
import { template, type TemplateArbs } from '../template.js';

const kvmStatsArb = fc.record({
  n: fc.nat(),
  vcpu: fc.boolean(),
  at: fc.constantFrom('end', 'tail', 'far', 'negative' as const),
  write: fc.constantFrom('write', 'pwrite' as const),
}).map((g) => template('kvmStats', (c) => {
  const vm = c.lastGuest?.vm ?? c.lastRegion?.vm ?? pick(g.n, c.vms);
  const on = g.vcpu && c.vcpus > 0 ? { kind: 'vcpu' as const, vcpu: pick(g.n, c.vcpus) } : { kind: 'vm' as const, vm };
  return { kind: 'kvmStats', on, at: g.at, write: g.write };
}));

export const kstatsTemplates = {
  kvmStats: kvmStatsArb,
} satisfies TemplateArbs;
