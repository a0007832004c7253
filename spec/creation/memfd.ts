/** memfd_create + ftruncate: the shmem control backing (GEN-MEMFD). */
import { err, ok } from '../vocab/index.js';
import { only, rule, andThen } from '../rule.js';
import { negative, pagesUp, type Ctx } from '../ctx.js';
import { addFile } from '../state/init.js';
import { must, type Steps } from '../run.js';

type C = Ctx<'createMemfd'>;

/** GEN-MEMFD: a shmem file; ftruncate to a negative size fails (fs/open.c do_sys_ftruncate). */
export const memfdCreate = rule<C>({
  id: 'GEN-MEMFD',
  cite: 'mm/memfd.c memfd_create; mm/shmem.c shmem_file_setup; fs/open.c do_sys_ftruncate',
  decide: ({ s, op }) =>
    negative(op.size)
      ? only(s, err('EINVAL'))
      : andThen(ok(), () =>
          addFile(s, op.id, {
            kind: 'memfd', vm: -1, flags: 0n, sizeBytes: op.size, sizePages: pagesUp(op.size),
            mmapable: true, initShared: true, noDirectMap: false, writeFlag: false,
          }, { cloexec: null })),
});
export const createMemfdChain = [memfdCreate] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  createMemfd: (p, s, o) => must({ p, s, op: o }, createMemfdChain),
} satisfies Steps;
