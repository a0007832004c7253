/**
 * spanRange on an emulated mapping: the call over the mapping's last pages and the anonymous
 * private pages the target maps after its end (spec/vocab/ops-span.ts). The modelled kernel walks
 * the VMAs in address order: the mapping first, answered by this emulator's own madvise,
 * mprotectRange or mlock on the clipped range (its failure ends the call, its effects stay); then
 * the anonymous VMA, which has no file — MADV_REMOVE refuses it (EINVAL), every other drawn call
 * succeeds there. The anonymous pages are gone after the op, so only the mapping's part remains.
 */
import { err, ok, spanPages } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome, SpanCall } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import type { Mapping } from '../state.js';
import { P } from '../i64.js';
import { madvise } from './madvise.js';
import { mprotectRange } from './mprot.js';
import { mlock } from './mlock.js';

const ADVICE = { madvDontneed: 'DONTNEED', madvRemove: 'REMOVE', madvFree: 'FREE', madvWillneed: 'WILLNEED' } as const;
const PROT_WORD = { protNone: 0n, protRead: 1n, protReadWrite: 3n } as const;

/** The mapping's part of the walk. */
const mappingPart = (k: Kernel, m: Mapping, map: number, call: SpanCall, first: number): Outcome => {
  const offset = BigInt(first) * P;
  const length = BigInt(m.npages - first) * P;
  switch (call) {
    case 'madvDontneed': case 'madvRemove': case 'madvFree': case 'madvWillneed':
      return madvise(k, { kind: 'madvise', map, offset, length, advice: ADVICE[call] });
    case 'protNone': case 'protRead': case 'protReadWrite':
      return mprotectRange(k, { kind: 'mprotectRange', map, offset, length, prot: PROT_WORD[call] });
    case 'mlock': return mlock(k, { kind: 'mlock', map, offset, length, call: 'MLOCK', flags: 0 });
    case 'mlockOnfault': return mlock(k, { kind: 'mlock', map, offset, length, call: 'MLOCK2', flags: 1 });
    case 'munlock': return mlock(k, { kind: 'mlock', map, offset, length, call: 'MUNLOCK', flags: 0 });
  }
};

export const spanRange = (k: Kernel, op: OpOf<'spanRange'>): Outcome => {
  const m = k.liveMap(op.map);
  // Dead map: not issued (spec/vocab/CONVENTIONS.md).
  if (!m) return err('EFAULT');
  const remove = op.call === 'madvRemove';
  // Zoo: the walk checks the anonymous VMA before it acts on the mapping (nothing punched).
  if (remove && m.inode.kind === 'gmem' && k.bug('span-remove-checks-first')) return err('EINVAL');
  const r = mappingPart(k, m, op.map, op.call, m.npages - spanPages(op.tail, op.pages, m.npages).tail);
  if (r.kind !== 'ok') return r;
  // Zoo: the walk stops after the gmem VMA, so the anonymous VMA's refusal is never seen.
  if (remove && m.inode.kind === 'gmem' && k.bug('span-stops-after-gmem')) return ok();
  return remove ? err('EINVAL') : ok();
};
