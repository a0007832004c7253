/** userfaultfd(UFFD_USER_MODE_ONLY) + UFFDIO_API (UFD-11, ENV-3). */
import { err, ok } from '../vocab/index.js';
import { fact, only, rule, andThen } from '../rule.js';
import type { Ctx } from '../ctx.js';
import { setIn } from '../state/update.js';
import { must, type Steps } from '../run.js';

/** All 17 features the kernel reports (0x1ffff, obs:finding 9). */
export const UFFD_API_FEATURES = 0x1ffff;
export const env3 = fact('ENV-3', 'ENV-3 (UFFD_USER_MODE_ONLY: independent of vm.unprivileged_userfaultfd)');

/** UFD-11: UFFDIO_API with unknown feature bits → EINVAL. */
export const ufd11Api = rule<Ctx<'uffdCreate'>>({
  id: 'UFD-11',
  cite: 'UFD-11; fs/userfaultfd.c userfaultfd_api (obs:UF-01..07)',
  decide: ({ s, op }) =>
    (op.features & ~UFFD_API_FEATURES) !== 0 || op.features < 0
      ? only(s, err('EINVAL'))
      : andThen(ok(), () => ({ ...s, uffds: setIn(s.uffds, op.id, { features: op.features }) }), [env3]),
});
export const uffdCreateChain = [ufd11Api] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  uffdCreate: (p, s, o) => must({ p, s, op: o }, uffdCreateChain),
} satisfies Steps;
