/**
 * mmap, in do_mmap order (GEN-MMAP-ARGS), then the file's own mmap method: gmem refuses exec
 * through its noexec mount (MAP-3), files without MMAP (MAP-1, checked before MAP_PRIVATE) and
 * private mappings (MAP-2). Length and offset are never checked against the file size (MAP-4).
 */
import { PROT, err, ok } from '../vocab/index.js';
import { cases, fact, only, rule, andThen } from '../rule.js';
import { LLONG_MAX, P, TASK_SIZE, aligned, type Ctx, type FileCtx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import { EMPTY } from '../state/imap.js';
import { setIn, withInode, withMap } from '../state/update.js';
import type { Mapping, SpecState } from '../state/types.js';
import { onFile, type Steps } from '../run.js';

type C = Ctx<'mmap'>;
type F = FileCtx<'mmap'>;

export const mmapOffAlign = rule<C>({
  id: 'GEN-MMAP-ARGS',
  cite: 'arch/x86/kernel/sys_x86_64.c sys_mmap (offset alignment checked first)',
  decide: ({ s, op }) => (aligned(u64(op.offset)) ? undefined : only(s, err('EINVAL'))),
});
export const mmapDead = ebadf<C>(({ s, op }) => fdDead(s, op.fd));
export const mmapLen = rule<C>({
  id: 'GEN-MMAP-ARGS',
  cite: 'mm/mmap.c do_mmap (len 0 → EINVAL; too long → ENOMEM; file_mmap_ok → EOVERFLOW)',
  decide: ({ s, op }) => {
    const length = u64(op.length);
    if (length === 0n) return only(s, err('EINVAL'));
    const len = (length + P - 1n) & ~(P - 1n);
    if (len > TASK_SIZE) return only(s, err('ENOMEM'));
    if (u64(op.offset) >> 12n > (LLONG_MAX - len) >> 12n) return only(s, err('EOVERFLOW'));
    return undefined;
  },
});
export const mmapPre = [mmapOffAlign, mmapDead, mmapLen] as const;

/** MAP-3: the gmem mount is noexec, so PROT_EXEC is EPERM (do_mmap path_noexec, before ->mmap). */
export const map3 = rule<F>({
  id: 'MAP-3',
  cite: 'MAP-3; mm/mmap.c do_mmap path_noexec (obs:MM-13/14)',
  decide: ({ s, op, ino }) => (ino.kind === 'gmem' && (op.prot & BigInt(PROT.EXEC)) !== 0n ? only(s, err('EPERM')) : undefined),
});

/** MAP-1: no GUEST_MEMFD_FLAG_MMAP → ENODEV, whatever else the request says (CRE-3 included). */
export const map1 = rule<F>({
  id: 'MAP-1',
  cite: 'MAP-1, CRE-3; S1 kvm_gmem_mmap; S3 test_mmap_not_supported (obs:MM-01..04)',
  decide: ({ s, ino }) => (ino.kind === 'gmem' && !ino.mmapable ? only(s, err('ENODEV')) : undefined),
});

/** MAP-2: only shared mappings. */
export const map2 = rule<F>({
  id: 'MAP-2',
  cite: 'MAP-2; S1 kvm_gmem_mmap; S3 test_mmap_cow (obs:MM-05..31)',
  decide: ({ s, op, ino }) => (ino.kind === 'gmem' && !op.shared ? only(s, err('EINVAL')) : undefined),
});

export const map6 = fact('MAP-6', 'MAP-6 (host data is the page cache, shared by every mapping)');
export const genShmemMmap = fact('GEN-SHMEM-MMAP', 'mm/shmem.c shmem_mmap; mm/memory.c do_cow_fault');

/** Offsets and lengths are unsigned long in the syscall: a negative bigint means its u64 value. */
const u64 = (b: bigint): bigint => BigInt.asUintN(64, b);

/** Private writable mappings above this may be refused by overcommit accounting (GEN-OVERCOMMIT). */
const COMMIT_LIMIT = 1n << 30n;
export const overcommit = fact('GEN-OVERCOMMIT', 'mm/mmap.c accountable_mapping; mm/util.c __vm_enough_memory');

/** Above this, a real address space may be too fragmented to place the mapping. */
const HUGE_MAP = 1n << 44n;

/**
 * MAP-19: mmap's prot is an unsigned long of which calc_vm_prot_bits reads READ, WRITE and EXEC;
 * every other bit (PROT_SEM, bit 31, bits 32..63) is ignored, never refused.
 */
export const vmaProt = (prot: bigint): number => Number(prot & BigInt(PROT.READ | PROT.WRITE | PROT.EXEC));
export const map19 = fact('MAP-19', 'MAP-19; mm/mmap.c do_mmap (calc_vm_prot_bits reads READ/WRITE/EXEC only), v7.2');

/** MAP-4: accepted whatever the file size; accesses past EOF fault later. */
export const map4Accept = rule<F>({
  id: 'MAP-4',
  cite: 'MAP-4; S1 (no size check at mmap); S3 test_fault_overflow (obs:MM-25..28, MM-60..62)',
  decide: ({ s, op, ino }) => {
    const next = (): SpecState => {
      const pages = Number((op.length + P - 1n) >> 12n);
      const m: Mapping = {
        inode: ino.id, pgoff: Number(u64(op.offset) >> 12n), pages, lenBytes: op.length, prot: vmaProt(op.prot), shared: op.shared,
        ptes: EMPTY, around: EMPTY, vmaPolicy: EMPTY, uffd: EMPTY, cow: EMPTY, hugepage: EMPTY, locked: EMPTY, advised: EMPTY,
      };
      const out = withMap(withInode(s, { ...ino, mapCount: ino.mapCount + 1 }), op.id, m);
      return { ...out, mapped: setIn(out.mapped, op.id, true) };
    };
    const also = [...(ino.kind === 'memfd' ? [genShmemMmap] : [map6]), ...(op.prot >> 3n !== 0n ? [map19] : [])];
    if (!op.shared && (op.prot & BigInt(PROT.WRITE)) !== 0n && op.length > COMMIT_LIMIT) {
      return cases([[ok(), next], [err('ENOMEM'), () => s]], 'GEN-OVERCOMMIT: a large private writable mapping may exceed the commit limit', [...also, overcommit]);
    }
    if (op.length <= HUGE_MAP) return andThen(ok(), next, also);
    return cases([[ok(), next], [err('ENOMEM'), () => s]], 'a mapping this large may not find room in the address space', also);
  },
});
export const mmapFileChain = [map3, map1, map2, map4Accept] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  mmap: (p, s, o) => onFile({ p, s, op: o }, mmapPre, o.fd, () => mmapFileChain),
} satisfies Steps;
