/** Remote-specific harness errors (the shared ones live in spec/vocab/errors.ts). */
import { HarnessError } from '../../spec/vocab/errors.js';

/** The agent URL cannot be used (unknown scheme, missing host or port). */
export class AgentUrlError extends HarnessError {}
/** The peer broke the protocol (malformed response, unknown id, wrong version) or refused a request. */
export class AgentProtocolError extends HarnessError {}
/** The agent rejected the token or required one the client did not have. */
export class AgentAuthError extends HarnessError {}
/** The agent refused an op or a session because a resource limit would be passed (code 'limit' / 'busy'). */
export class AgentLimitError extends HarnessError {}
/** The agent serves another backend than the one asked for (e.g. the emulator where a kernel was to be tested). */
export class AgentBackendError extends HarnessError {}
