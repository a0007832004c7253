/** One message per line, in the bigint-safe spec/vocab/codec.ts encoding. */
import { parse, stringify } from '../../../spec/vocab/codec.js';

export const encodeLine = (msg: unknown): string => `${stringify(msg)}\n`;

/** JSON.parse plus bigint revival; a syntax error or pathological nesting comes back as a reason. */
export const decodeLine = (text: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string } => {
  try {
    return { ok: true, value: parse(text) };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message.slice(0, 200) : 'unparseable' };
  }
};
