/**
 * The project's recorded probes of real kernels (docs/probe-records/*.probe.json), validated with
 * the same check the remote client applies to an agent's probe, so a record can never drift from
 * the ProbeResult type unnoticed.
 */
import { readFileSync } from 'node:fs';
import type { ProbeResult } from '../../spec/vocab/index.js';
import { probeCheck } from '../../adapters/remote/validate/outcome.js';

const load = (name: string): ProbeResult => {
  const v: unknown = JSON.parse(readFileSync(new URL(`../../docs/probe-records/${name}`, import.meta.url), 'utf8'));
  const bad = probeCheck(v, name);
  if (bad !== undefined) throw new Error(`docs/probe-records/${name} is not a ProbeResult: ${bad}`);
  return v as ProbeResult;
};

/** Linux 6.18.44 with kvm_pvm (the development machines before their kernel lost guest_memfd). */
export const PROBE_618 = load('linux-6.18.44-pvm.probe.json');
/** Debian's 7.2.13 under QEMU/TCG with nested KVM, taken by `gmemcheck vm --kernel debian -- probe --json`. */
export const PROBE_72 = load('linux-7.2.13-qemu.probe.json');
