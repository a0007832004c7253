/**
 * Structural validation of what the agent sends back (Outcome, Value, ProbeResult). The client
 * checks responses as strictly as the agent checks requests: a confused or foreign peer must show
 * up as a harness error, not as a kernel outcome the spec then judges.
 */
import { OP_KINDS, type BehaviourKey, type Behaviours, type Outcome, type OutcomeName, type Undecided, type Value } from '../../../spec/vocab/index.js';
import type { ProbeResult } from '../../../spec/vocab/target.js';
import { arrayOf, big, bool, describe, exact, int, isRecord, oneOf, str, tagged, type Check } from '../../../spec/vocab/check.js';

const MAX_DEPTH = 16;
/** Offsets in outcomes echo op offsets, so they get the same 128-bit size bound (see ./op.ts). */
const b64 = big(-(1n << 127n), (1n << 127n) - 1n);

const valueAt = (v: unknown, p: string, depth: number): string | undefined => {
  if (depth > MAX_DEPTH) return `${p}: nested deeper than ${MAX_DEPTH}`;
  if (v === null || typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'string') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${p}: non-finite number`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const e = valueAt(v[i], `${p}[${i}]`, depth + 1);
      if (e !== undefined) return e;
    }
    return undefined;
  }
  if (isRecord(v)) {
    for (const [k, x] of Object.entries(v)) {
      const e = valueAt(x, `${p}.${k}`, depth + 1);
      if (e !== undefined) return e;
    }
    return undefined;
  }
  return `${p}: not a Value (${describe(v)})`;
};
export const valueCheck: Check<Value> = (v, p) => valueAt(v, p, 0);

const errnoName: Check<OutcomeName> = (v, p) =>
  typeof v === 'string' && /^(E[A-Z0-9]{1,15}|ERRNO_-?\d{1,6})$/.test(v) ? undefined : `${p}: not an errno name`;

/** Outcome is recursive (a uffd outcome carries the resolve and access outcomes). */
export const outcomeCheck: Check<Outcome> = (v, p) => OUTCOME(v, p);
const OUTCOME: Check<Outcome> = tagged('kind', {
  ok: exact({}, { value: valueCheck }),
  errno: exact({ errno: errnoName }, { errorOffset: b64 }),
  signal: exact({
    signal: oneOf('SIGBUS', 'SIGSEGV'),
    code: oneOf('BUS_ADRERR', 'BUS_OBJERR', 'BUS_MCEERR_AR', 'SEGV_ACCERR', 'SEGV_MAPERR', 'OTHER'),
    offset: b64,
  }),
  uffd: exact({ event: exact({ write: bool, minor: bool, wp: bool, offset: b64 }), resolve: outcomeCheck, access: outcomeCheck }),
  exit: exact({ reason: str(256) }, { gpa: b64, private: bool }),
});

const recordOf = (key: RegExp, val: Check<unknown>): Check<unknown> => (v, p) => {
  if (!isRecord(v)) return `${p}: expected an object, got ${describe(v)}`;
  for (const [k, x] of Object.entries(v)) {
    if (!key.test(k)) return `${p}: unexpected key "${k.slice(0, 40)}"`;
    const e = val(x, `${p}.${k}`);
    if (e !== undefined) return e;
  }
  return undefined;
};

const capTable = recordOf(/^\d{1,10}$/, int(-(2 ** 63), 2 ** 63));
const opKindKey = new RegExp(`^(${OP_KINDS.join('|')})$`);

/** A probe's answer, or `{ undecided: reason }`. */
const probed = <T>(c: Check<T>): Check<T | Undecided> => (v, p) => (isRecord(v) ? exact({ undecided: str(1024) })(v, p) : c(v, p));
const outcomeName: Check<OutcomeName> = (v, p) =>
  v === 'ok' || v === 'signal' || v === 'uffd' || v === 'exit' ? undefined : errnoName(v, p);

/** Typed against the Behaviours interface: a behaviour added there without a check here fails tsc. */
const BEHAVIOURS: { readonly [K in BehaviourKey]-?: Check<Behaviours[K]> } = {
  reservedIgnored: probed(bool), bindOverlapErrno: probed(outcomeName), iouringBufMaxErrno: probed(outcomeName), offsetSigned: probed(bool), mmapOnlyShared: probed(bool), mmapOnlyBindErrno: probed(outcomeName),
  pwriteErrno: probed(outcomeName), pwriteAgainErrno: probed(outcomeName), gmemCloexec: probed(bool), memoryAttributesErrno: probed(outcomeName),
  convertAttr2Errno: probed(outcomeName), convertRfcErrno: probed(outcomeName), mbindSurvivesRemap: probed(bool),
  polQueryTask: probed(bool), collapseErrno: probed(outcomeName), uffdRegisterGmem: probed(outcomeName),
  guestPath: probed(oneOf('GMEM', 'UADDR')), preFaultErrno: probed(outcomeName), fsMagic: probed(int(0, 2 ** 32 - 1)),
  thp: probed(oneOf('always', 'madvise', 'never')), shmemCopyEofErrno: probed(outcomeName), dioMisalignedPins: probed(bool),
};

export const probeCheck: Check<ProbeResult> = exact({
  target: str(256),
  release: str(256),
  caps: exact({ kvm: capTable, vm: capTable }, { privateVm: capTable }),
  vmTypes: arrayOf(int(0, 2 ** 32), 64),
  numaNodes: int(0, 4096),
  behaviours: exact(BEHAVIOURS),
  unsupported: recordOf(opKindKey, str(1024)),
});
