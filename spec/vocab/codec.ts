/**
 * JSON encoding of ops, outcomes and traces. bigint values travel as decimal strings with an `n`
 * suffix ("4096n"), which no other string of the vocabulary matches, so a trace stays readable and
 * round-trips exactly. Used by trace.json, replay tokens and the remote protocol.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

const BIG = /^-?\d+n$/;

export const toJsonValue = (v: unknown): unknown => {
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, toJsonValue(x)]));
  }
  return v;
};

export const fromJsonValue = (v: unknown): unknown => {
  if (typeof v === 'string' && BIG.test(v)) return BigInt(v.slice(0, -1));
  if (Array.isArray(v)) return v.map(fromJsonValue);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromJsonValue(x)]));
  }
  return v;
};

export const stringify = (v: unknown, indent?: number): string => JSON.stringify(toJsonValue(v), null, indent);
export const parse = (text: string): unknown => fromJsonValue(JSON.parse(text));

/** Compact, URL-safe form of any encodable value (replay tokens). */
export const pack = (v: unknown): string => deflateRawSync(Buffer.from(stringify(v))).toString('base64url');
/**
 * The inverse of pack. `maxBytes` bounds the inflated size: zlib stops (RangeError
 * ERR_BUFFER_TOO_LARGE) as soon as its output would pass it, so a small hostile token cannot
 * make it produce gigabytes (deflate reaches ~1000:1).
 */
export const unpack = (token: string, maxBytes?: number): unknown =>
  parse(inflateRawSync(Buffer.from(token, 'base64url'), maxBytes === undefined ? {} : { maxOutputLength: maxBytes }).toString());
