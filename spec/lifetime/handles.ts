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

/**
 * GEN-DEAD-MAP: an op through a dead map handle is not issued (spec/vocab/CONVENTIONS.md); this
 * check comes before every other one.
 */
export const deadMap = <C extends { readonly s: SpecState; readonly op: { readonly map: number } }>(errno: 'EFAULT' | 'ENOMEM'): Rule<C> =>
  rule<C>({
    id: 'GEN-DEAD-MAP',
    cite: 'spec/vocab/CONVENTIONS.md dead map handles',
    decide: (c) => (c.s.maps.has(c.op.map) ? undefined : only(c.s, err(errno))),
  });

export const vmDead = (s: SpecState, vm: number): boolean => s.vms.get(vm)?.fdOpen !== true;
export const fdDead = (s: SpecState, fd: number): boolean => !s.fds.has(fd);
