/**
 * The remote wire protocol (version 3): newline-delimited JSON, one request per line from the
 * client, exactly one response per request from the agent, matched by `id`. Every message is a
 * tagged union on `type` so both ends dispatch with ts-pattern `.exhaustive()`. bigints travel in
 * the spec/vocab/codec.ts form ("4096n"). Version 2 (issue 12) authenticates both ends by
 * challenge–response before anything else is parsed: the token never goes over the wire. See
 * ./PROTOCOL.md for the prose version.
 */
import type { Op, Outcome } from '../../spec/vocab/index.js';
import type { BranchRun, ProbeResult } from '../../spec/vocab/target.js';

export const PROTOCOL_VERSION = 5;

/** Largest line either side accepts, newline excluded: an op is < 1 KiB, a probe a few KiB. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Largest line the agent reads before authentication: hello and auth are < 200 bytes. */
export const PREAUTH_MAX_BYTES = 1024;
/** How long the agent lets one backend call run before answering 'timeout'. */
export const AGENT_OP_TIMEOUT_MS = 5_000;
/** The client waits a little longer than the agent, so an agent-side timeout arrives as a reply. */
export const CLIENT_OP_TIMEOUT_MS = AGENT_OP_TIMEOUT_MS + 3_000;
export const DEFAULT_PORT = 7355;
export const DEFAULT_HOST = '127.0.0.1';

/** A request id: chosen by the client, echoed by the agent. */
export type RequestId = number;
/** A target instance id: chosen by the agent, unique within one connection. */
export type TargetId = number;

export type RequestBody =
  /** First request of every connection: the client's nonce (32 random bytes, base64url). */
  | { readonly type: 'hello'; readonly clientNonce: string }
  /** Second: the client's proof that it knows the token (absent when the agent asked for none). */
  | { readonly type: 'auth'; readonly proof?: string }
  | { readonly type: 'probe' }
  /** A fresh, isolated target instance; `seed` descends from the fast-check run. */
  | { readonly type: 'open'; readonly seed: number }
  | { readonly type: 'apply'; readonly target: TargetId; readonly op: Op }
  /**
   * A parallel case's branches, run concurrently on the state the target's earlier applies left
   * (ParallelTarget.runBranches): a real kernel on threads, the emulator interleaving them by
   * `choices` or replaying `schedule`. Added to version 2 by issue 16: an agent that predates it
   * answers bad-request, which the client reports as an agent that cannot run branches.
   */
  | {
      readonly type: 'branches'; readonly target: TargetId; readonly branches: readonly (readonly Op[])[];
      readonly choices?: readonly number[]; readonly schedule?: readonly number[];
    }
  | { readonly type: 'closeTarget'; readonly target: TargetId }
  /** Close every target of this connection, answer, then hang up. */
  | { readonly type: 'bye' };

export type Request = { readonly v: typeof PROTOCOL_VERSION; readonly id: RequestId } & RequestBody;
export type RequestType = RequestBody['type'];

/** What an 'ok' response carries, tagged by the request it answers. */
export type OkResult =
  | { readonly kind: 'probe'; readonly probe: ProbeResult }
  | { readonly kind: 'opened'; readonly target: TargetId; readonly name: string }
  | { readonly kind: 'done' };

export type ErrorCode =
  /** Not valid JSON, or not a JSON object. */
  | 'bad-json'
  /** Line longer than MAX_MESSAGE_BYTES: the rest of the line was discarded. */
  | 'too-large'
  /** `v` is not PROTOCOL_VERSION. */
  | 'version'
  /** Well-formed JSON that is not a request of this protocol (unknown type, missing/extra fields). */
  | 'bad-request'
  /** An apply whose op fails structural validation. */
  | 'bad-op'
  /** Any request before a successful auth, or an auth with a wrong/missing proof. */
  | 'unauthenticated'
  /** A second hello on a connection. */
  | 'already-authenticated'
  /** The agent serves as many sessions as it will; try again later. */
  | 'busy'
  /** A per-session or per-target resource limit would be passed; the op was not run. */
  | 'limit'
  | 'unknown-target'
  /** The backend did not answer within AGENT_OP_TIMEOUT_MS; the target was discarded. */
  | 'timeout'
  /** The backend threw a harness error (HarnessError name in the message). */
  | 'target-broken'
  | 'internal';

export type ResponseBody =
  /**
   * The answer to hello: the agent's nonce and its proof that it knows the token, which the client
   * checks before it proves anything itself. `auth: 'none'` (stdio under ssh): no token, no proofs.
   */
  | { readonly type: 'challenge'; readonly agentNonce: string; readonly auth: 'hmac-sha256' | 'none'; readonly proof?: string }
  | {
      readonly type: 'hello'; readonly protocolVersion: number; readonly agentVersion: string;
      readonly kernelRelease: string; readonly backend: string; readonly probe: ProbeResult;
    }
  | { readonly type: 'ok'; readonly result: OkResult }
  | { readonly type: 'outcome'; readonly outcome: Outcome }
  /** The answer to branches: each op's outcome (timed on a real kernel), the emulator's schedule. */
  | { readonly type: 'branchRun'; readonly run: BranchRun }
  | { readonly type: 'error'; readonly code: ErrorCode; readonly message: string };

/** `id` is null only when the request was too broken to carry a readable id. */
export type Response = { readonly v: typeof PROTOCOL_VERSION; readonly id: RequestId | null } & ResponseBody;
export type ResponseType = ResponseBody['type'];

export const ERROR_CODES = [
  'bad-json', 'too-large', 'version', 'bad-request', 'bad-op', 'unauthenticated', 'already-authenticated',
  'busy', 'limit', 'unknown-target', 'timeout', 'target-broken', 'internal',
] as const satisfies readonly ErrorCode[];
