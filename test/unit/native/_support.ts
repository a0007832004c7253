/** Shared helpers for the native target's unit tests (skips, a target per test, fd counting). */
import { readdirSync, readlinkSync } from 'node:fs';
import { describe } from 'vitest';
import { createNativeTarget, guestMemfdAvailable, nativeAvailable, settleClosing } from '../../../adapters/native/index.js';
import { formatAllowed, formatOp, formatOutcome, isAllowed, type Op, type Outcome, type Profile } from '../../../spec/vocab/index.js';
import { SPEC } from '../../../models/spec-api.js';
import type { Target } from '../../../spec/vocab/target.js';

export const avail = nativeAvailable();
/** describe() that skips, naming the reason, when the native target cannot run here. */
export const describeNative = (name: string, fn: () => void): void => {
  if (avail.ok) describe(name, fn);
  else describe.skip(`${name} [skipped: ${avail.reason}]`, fn);
};

export const gmemAvail = guestMemfdAvailable();
/**
 * describe() for checks that need guest_memfd itself; skips, naming the reason, on a kernel built
 * without it (KVM_CAP_GUEST_MEMFD = 0). The addon's own plumbing is tested on memfd instead.
 */
export const describeGmem = (name: string, fn: () => void): void => {
  if (gmemAvail.ok) describe(name, fn);
  else describe.skip(`${name} [skipped: ${gmemAvail.reason}]`, fn);
};

/**
 * Open fds of the kinds a native target creates (/dev/kvm, kvm-vm, kvm-gmem, kvm-vcpu, memfd,
 * userfaultfd, eventfd). Counting only these keeps the test independent of the runner's own fds.
 * VM fds of closed targets are closed by the closer thread: the count waits for it first.
 */
export const openFds = (): number => {
  settleClosing();
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return /kvm|memfd:gmemcheck|userfaultfd|eventfd/.test(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      return false; // closed between readdir and readlink (e.g. the readdir fd itself)
    }
  }).length;
};

/** Runs ops in order on a fresh target and returns their outcomes; the target is always closed. */
export const runOps = async (ops: readonly Op[], t?: Target): Promise<Outcome[]> => {
  const target = t ?? (await createNativeTarget());
  try {
    const out: Outcome[] = [];
    for (const op of ops) out.push(await target.apply(op));
    return out;
  } finally {
    if (t === undefined) await target.close();
  }
};

/** The last outcome of a sequence. */
export const last = async (ops: readonly Op[]): Promise<Outcome> => {
  const out = await runOps(ops);
  const o = out[out.length - 1];
  if (o === undefined) throw new Error('no ops');
  return o;
};

export const memfd = (id: number, size: bigint): Op => ({ kind: 'createMemfd', id, size });
export const SHARED = 3n; // GUEST_MEMFD_FLAG_MMAP | INIT_SHARED
export const vm0: Op = { kind: 'createVm', id: 0, type: 0n };
export const gmem = (id: number, size: bigint, flags: bigint = SHARED): Op =>
  ({ kind: 'createGmem', vm: 0, id, size, flags, reserved: [] });
export const map = (id: number, fd: number, length: bigint, prot = 3, shared = true, offset = 0n): Op =>
  ({ kind: 'mmap', fd, id, offset, length, prot: BigInt(prot), shared });
export const load = (m: number, offset: bigint, onUserfault: 'COPY' | 'CONTINUE' | 'ZEROPAGE' = 'COPY', fill = 0): Op =>
  ({ kind: 'load', map: m, offset, onUserfault, fill });
export const store = (m: number, offset: bigint, value: number, onUserfault: 'COPY' | 'CONTINUE' | 'ZEROPAGE' = 'COPY', fill = 0): Op =>
  ({ kind: 'store', map: m, offset, value, onUserfault, fill });
/** The scenario tests' shorthands: a store of `value` (7) and a load, a fill of 1 where a userfault is resolved; madvise. */
export const st = (m: number, offset: bigint, value = 7): Op => store(m, offset, value, 'COPY', 1);
export const ld = (m: number, offset: bigint): Op => load(m, offset, 'COPY', 1);
export const madv = (m: number, offset: bigint, length: bigint, advice: Extract<Op, { kind: 'madvise' }>['advice']): Op => ({ kind: 'madvise', map: m, offset, length, advice });

/** Each step whose observed outcome the spec does not allow under `profile` (the spec follows the observed state). */
export const specMismatches = (profile: Profile, ops: readonly Op[], observed: readonly Outcome[]): string[] => {
  let s = SPEC.initialState(profile);
  const bad: string[] = [];
  ops.forEach((op, i) => {
    const v = SPEC.step(profile, s, op);
    const o = observed[i]!;
    if (!isAllowed(o, v.allowed)) bad.push(`step ${i + 1} ${formatOp(op)}: got ${formatOutcome(o)}, allowed ${formatAllowed(v.allowed)} [${v.rules.join(', ')}]`);
    s = v.next(isAllowed(o, v.allowed) ? o : v.allowed[0]!);
  });
  return bad;
};
