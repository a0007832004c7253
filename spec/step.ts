/**
 * The dispatcher: each rule module exports the handlers of the op kinds it decides (`steps`, each
 * naming its rule chain in kernel check order), and this table is their union. Pure: the state is
 * never mutated; `next` builds the new one.
 *
 * The typed handler table is the project's one dispatch style (the emulator and the native target
 * dispatch the same way): the table is typed as a mapped type over the op kinds, so a kind no
 * module handles does not compile, which is what ts-pattern's `.exhaustive()` gives, at the cost
 * of a property lookup per step. A new op in an existing module needs no edit here.
 */
import type { Op, Profile } from './vocab/index.js';
import type { Verdict } from './verdict.js';
import type { SpecState } from './state/types.js';
import type { Handlers } from './run.js';
import { steps as vm } from './creation/vm.js';
import { steps as caps } from './creation/caps.js';
import { steps as gmem } from './creation/gmem.js';
import { steps as memfd } from './creation/memfd.js';
import { steps as fd } from './fileops/fd.js';
import { steps as fileio } from './fileops/fileio.js';
import { steps as ftruncate } from './fileops/ftruncate.js';
import { steps as fallocate } from './fileops/fallocate.js';
import { steps as mmap } from './mmap/mmap.js';
import { steps as munmap } from './mmap/munmap.js';
import { steps as loadStore } from './mmap/load-store.js';
import { steps as madvise } from './mmap/madvise.js';
import { steps as kernelAccess } from './mmap/kernel-access.js';
import { steps as mincore } from './mmap/mincore.js';
import { steps as region } from './memslot/region.js';
import { steps as mbind } from './mempolicy/mbind.js';
import { steps as getpolicy } from './mempolicy/getpolicy.js';
import { steps as uffdCreate } from './uffd/create.js';
import { steps as uffdRegister } from './uffd/register.js';
import { steps as uffdResolve } from './uffd/resolve.js';
import { steps as convert } from './shareability/convert.js';
import { steps as guestAccess } from './guest/access.js';
import { steps as guestLevel } from './guest/level.js';

const HANDLERS: Handlers = {
  ...vm, ...caps, ...gmem, ...memfd, ...fd, ...fileio, ...ftruncate, ...fallocate, ...mmap, ...munmap, ...loadStore,
  ...madvise, ...kernelAccess, ...mincore, ...region, ...mbind, ...getpolicy, ...uffdCreate, ...uffdRegister, ...uffdResolve,
  ...convert, ...guestAccess, ...guestLevel,
};

/** The spec's answer to one op in one state. */
export const step = (p: Profile, s: SpecState, op: Op): Verdict<SpecState> =>
  (HANDLERS[op.kind] as (p: Profile, s: SpecState, op: Op) => Verdict<SpecState>)(p, s, op);
