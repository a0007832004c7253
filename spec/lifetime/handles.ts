/**
 * Dead handles (spec/vocab/handles.ts): a handle whose creation failed or that was closed names
 * nothing. Descriptors then get EBADF (the native target passes fd -1); the per-op conventions
 * for dead map handles are in the handlers and in spec/README.md.
 */
import { err } from '../vocab/index.js';
import { only, rule, type Rule } from '../rule.js';
import type { SpecState } from '../state/types.js';

export const GEN_EBADF_CITE = 'GEN-EBADF; fs/file.c fget';

/** Build the EBADF rule of one op from "is this handle dead?". */
export const ebadf = <C extends { readonly s: SpecState }>(dead: (c: C) => boolean): Rule<C> =>
  rule<C>({ id: 'GEN-EBADF', cite: GEN_EBADF_CITE, decide: (c) => (dead(c) ? only(c.s, err('EBADF')) : undefined) });

export const vmDead = (s: SpecState, vm: number): boolean => s.vms.get(vm)?.fdOpen !== true;
export const fdDead = (s: SpecState, fd: number): boolean => !s.fds.has(fd);
