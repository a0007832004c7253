/**
 * Mutual authentication by challenge–response (protocol v2). Both ends prove they know the shared
 * token without sending it: the client sends a fresh nonce, the agent answers with its own nonce
 * and HMAC-SHA256(token, "gmemcheck/2 agent" ‖ both nonces); the client checks that before it
 * sends HMAC-SHA256(token, "gmemcheck/2 client" ‖ both nonces). The role labels keep one side's
 * proof from being replayed as the other's; fresh nonces on both sides keep a recorded exchange
 * from being replayed at all. An impostor agent learns nothing it could use (the client sends no
 * proof to an agent that cannot prove itself); a client without the token gets one agent proof
 * per connection, so the token must be long and random (token.ts enforces a minimum length).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const NONCE_BYTES = 32;
/** 32 bytes in base64url: 43 characters. */
const NONCE = /^[A-Za-z0-9_-]{43}$/;
/** A proof: HMAC-SHA256 in base64url, 43 characters. */
const PROOF = NONCE;

export const newNonce = (): string => randomBytes(NONCE_BYTES).toString('base64url');
export const isNonce = (v: unknown): v is string => typeof v === 'string' && NONCE.test(v);
export const isProof = (v: unknown): v is string => typeof v === 'string' && PROOF.test(v);

const mac = (token: string, role: 'agent' | 'client', clientNonce: string, agentNonce: string): string =>
  createHmac('sha256', token).update(`gmemcheck/2 ${role}\n${clientNonce}\n${agentNonce}\n`).digest('base64url');

export const agentProof = (token: string, clientNonce: string, agentNonce: string): string => mac(token, 'agent', clientNonce, agentNonce);
export const clientProof = (token: string, clientNonce: string, agentNonce: string): string => mac(token, 'client', clientNonce, agentNonce);

/** Constant-time comparison of a received proof with the expected one. */
export const proofMatches = (expected: string, given: unknown): boolean =>
  isProof(given) && timingSafeEqual(Buffer.from(expected), Buffer.from(given));
