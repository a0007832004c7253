/**
 * Turning a decoded line into a Request (agent side) or a Response (client side). Every field is
 * checked; unknown types and unknown fields are rejected. The per-type tables are mapped types over
 * the protocol unions, so a new message type without a check is a compile error.
 */
import {
  ERROR_CODES, PROTOCOL_VERSION,
  type ErrorCode, type Request, type RequestId, type RequestType, type Response, type ResponseType,
} from '../protocol.js';
import { arrayOf, exact, int, isRecord, oneOf, str, tagged, type Check, type Shape } from '../../../spec/vocab/check.js';
import { MAX_BRANCH_OPS, MAX_BRANCHES, MAX_SCHEDULE } from '../../../spec/vocab/target.js';
import { opCheck } from '../../../spec/vocab/validate.js';
import { branchOpProblem } from '../../../spec/vocab/branch.js';
import type { Op } from '../../../spec/vocab/index.js';
import { isNonce, isProof } from '../auth.js';
import { outcomeCheck, probeCheck } from './outcome.js';

const id = int(0, Number.MAX_SAFE_INTEGER);
const targetId = int(0, 2 ** 31 - 1);
const HEADER: Shape = { v: int(PROTOCOL_VERSION, PROTOCOL_VERSION), id };

const nonce: Check<string> = (v, p) => (isNonce(v) ? undefined : `${p}: expected a 32-byte nonce in base64url`);
const proof: Check<string> = (v, p) => (isProof(v) ? undefined : `${p}: expected an HMAC-SHA256 proof in base64url`);

/** A list of 1..max elements, each checked. */
const nonEmpty = <T>(c: Check<T>, max: number): Check<readonly T[]> => (v, p) =>
  (Array.isArray(v) && v.length === 0 ? `${p}: expected 1 to ${max} elements, got none` : arrayOf(c, max)(v, p));

/**
 * A parallel case's branches: 1..MAX_BRANCHES lists of 1..MAX_BRANCH_OPS ops, each passing the op
 * check and allowed in a branch (it creates and destroys nothing, covers one page). That a range
 * stays inside its live mapping is the backend target's check (BadOpError before any thread starts).
 */
const branchOp: Check<Op> = (v, p) => {
  const e = opCheck(v, p);
  if (e !== undefined) return e;
  const b = branchOpProblem(v as Op);
  return b === undefined ? undefined : `${p}: ${b}`;
};
const branches: Check<unknown> = nonEmpty(nonEmpty(branchOp, MAX_BRANCH_OPS), MAX_BRANCHES);
/** The emulator's scheduling choices and a recorded schedule (task numbers: branches, then the monitor). */
const choices = arrayOf(int(0, 2 ** 31 - 1), MAX_SCHEDULE);
const schedule = arrayOf(int(0, MAX_BRANCHES), MAX_SCHEDULE);
/** A time on the target's clock: ns on a real kernel, scheduler steps in the emulator. */
const time: Check<number> = (v, p) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : `${p}: expected a finite number ≥ 0`);

const REQUEST_FIELDS: { readonly [K in RequestType]: readonly [required: Shape, optional?: Shape] } = {
  hello: [{ clientNonce: nonce }],
  auth: [{}, { proof }],
  probe: [{}],
  open: [{ seed: int(-(2 ** 31), 2 ** 32) }],
  apply: [{ target: targetId, op: (v, p) => opCheck(v, p) }],
  closeTarget: [{ target: targetId }],
  branches: [{ target: targetId, branches }, { choices, schedule }],
  bye: [{}],
};

export type Decoded<T> =
  | { readonly ok: true; readonly msg: T }
  | { readonly ok: false; readonly id: RequestId | null; readonly code: ErrorCode; readonly message: string };

/** The id to echo in an error reply: only a well-formed one is trusted. */
const readableId = (v: Record<string, unknown>): RequestId | null => (id(v['id'], '') === undefined ? (v['id'] as number) : null);

export const decodeRequest = (v: unknown): Decoded<Request> => {
  if (!isRecord(v)) return { ok: false, id: null, code: 'bad-json', message: 'a request must be a JSON object' };
  const rid = readableId(v);
  if (v['v'] !== PROTOCOL_VERSION) {
    return { ok: false, id: rid, code: 'version', message: `unsupported protocol version ${JSON.stringify(v['v'])?.slice(0, 20)}; this agent speaks v${PROTOCOL_VERSION}` };
  }
  const type = v['type'];
  if (typeof type !== 'string' || !Object.hasOwn(REQUEST_FIELDS, type)) {
    return { ok: false, id: rid, code: 'bad-request', message: `unknown request type ${JSON.stringify(type)?.slice(0, 40)}` };
  }
  const [required, optional = {}] = REQUEST_FIELDS[type as RequestType];
  const { type: _, ...rest } = v;
  const e = exact<unknown>({ ...HEADER, ...required }, optional)(rest, '$');
  if (e === undefined) return { ok: true, msg: v as unknown as Request };
  return { ok: false, id: rid, code: e.startsWith('$.op') || /^\$\.branches\[\d+\]\[\d+\]/.test(e) ? 'bad-op' : 'bad-request', message: e };
};

const RESPONSE: { readonly [K in ResponseType]: Check<unknown> } = {
  challenge: exact({ agentNonce: nonce, auth: oneOf('hmac-sha256', 'none') }, { proof }),
  hello: exact({
    protocolVersion: int(0, 2 ** 31), agentVersion: str(64), kernelRelease: str(256), backend: str(64), probe: probeCheck,
  }),
  ok: exact({
    result: tagged('kind', {
      probe: exact({ probe: probeCheck }),
      opened: exact({ target: targetId, name: str(64) }),
      done: exact({}),
    }),
  }),
  outcome: exact({ outcome: outcomeCheck }),
  branchRun: exact({
    run: exact(
      { branches: arrayOf(arrayOf(exact({ outcome: outcomeCheck }, { start: time, end: time }), MAX_BRANCH_OPS), MAX_BRANCHES) },
      { schedule, ns: time, diverged: int(1, MAX_SCHEDULE) },
    ),
  }),
  error: exact({ code: oneOf(...ERROR_CODES), message: str(4096) }),
};

/** Responses must echo a readable id except error replies to unreadable requests. */
export const decodeResponse = (v: unknown): { readonly ok: true; readonly msg: Response } | { readonly ok: false; readonly reason: string } => {
  if (!isRecord(v)) return { ok: false, reason: 'response is not a JSON object' };
  if (v['v'] !== PROTOCOL_VERSION) return { ok: false, reason: `agent speaks protocol ${JSON.stringify(v['v'])?.slice(0, 20)}, not v${PROTOCOL_VERSION}` };
  const type = v['type'];
  if (typeof type !== 'string' || !Object.hasOwn(RESPONSE, type)) return { ok: false, reason: `unknown response type ${JSON.stringify(type)?.slice(0, 40)}` };
  const { v: _v, id: rid, type: _t, ...rest } = v;
  if (!(rid === null && type === 'error') && id(rid, '$.id') !== undefined) return { ok: false, reason: 'response without a valid id' };
  const e = RESPONSE[type as ResponseType](rest, '$');
  return e === undefined ? { ok: true, msg: v as unknown as Response } : { ok: false, reason: e };
};
