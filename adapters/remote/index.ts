/**
 * The remote target: run the suite against a kernel on another machine through `gmemcheck agent`.
 * Client: RemoteClient / createRemoteTarget (tcp://, ssh://, stdio:// URLs). Agent: serveStream /
 * listenTcp with a Backend. Protocol: ./protocol.ts and ./PROTOCOL.md.
 */
export { RemoteClient, createRemoteTarget, type RemoteClientOptions } from './client/remote-client.js';
export type { HelloInfo } from './client/connection.js';
export { isRemoteUrl, parseAgentUrl, type AgentAddress } from './client/url.js';
export { AgentAuthError, AgentBackendError, AgentLimitError, AgentProtocolError, AgentUrlError } from './errors.js';
export { listenTcp, serveStream, type TcpAgent } from './agent/serve.js';
export type { SessionOptions } from './agent/session.js';
export { DEFAULT_LIMITS, type SessionLimits } from './agent/limits.js';
export { PopulateBudget } from '../limits.js';
export type { Backend, BackendInfo, BackendName, BackendSession } from './agent/backend.js';
export { inProcessBackend } from './agent/in-process.js';
export { processBackend } from './agent/process-backend.js';
export * from './protocol.js';
