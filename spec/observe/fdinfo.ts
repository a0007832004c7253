/**
 * /proc/self/fdinfo/N and the /proc/self/fd/N link of a guest_memfd fd (LIFE-18, CRE-17;
 * docs/kernel-surface.md J10, D09): the file position, the open file's flags with O_CLOEXEC
 * added for a close-on-exec fd, and the name the file's dentry gives.
 */
import { err, ok, type OpOf, type Outcome } from '../vocab/index.js';
import { cases, fact, only, rule } from '../rule.js';
import type { FileCtx, Ctx } from '../ctx.js';
import { fdDead } from '../lifetime/handles.js';
import { onFile, type Steps } from '../run.js';
import { BASE_FL, flOf } from '../fdcalls/file-state.js';

const O_CLOEXEC = 0o2000000;

/** The /proc/self/fd/-1 and /proc/self/fdinfo/-1 entries do not exist. */
export const fdInfoDead = rule<Ctx<'fdInfo'>>({
  id: 'LIFE-18',
  cite: 'LIFE-18; fs/proc/fd.c proc_fd_instantiate (no such fd: ENOENT), v7.2',
  decide: ({ s, op }) => (fdDead(s, op.fd) ? only(s, err('ENOENT')) : undefined),
});

/**
 * CRE-17: the name of a gmem file. 6.18 makes it with anon_inode_create_getfile: the anon_inode
 * filesystem's d_dname gives `anon_inode:[kvm-gmem]`. 7.2 makes it with alloc_file_pseudo on the
 * guest_memfd mount, whose pseudo dentry has no d_op of the filesystem, so d_alloc_pseudo gives it
 * simple_dname: `/[kvm-gmem] (deleted)`. Which one follows P-FSMAGIC (the same change, CRE-16).
 * memfd: `/memfd:NAME (deleted)`, NAME being what the target passes to memfd_create (`gmemcheck`,
 * spec/vocab/CONVENTIONS.md).
 */
export const cre17 = fact('CRE-17', 'CRE-17; virt/kvm/guest_memfd.c __kvm_gmem_create (v6.18 anon_inode_create_getfile, v7.2 alloc_file_pseudo); fs/anon_inodes.c anon_inodefs_dname; fs/dcache.c d_alloc_pseudo; fs/d_path.c simple_dname; mm/memfd.c memfd_create ("memfd:" prefix), v7.2');
export const linkOf = (kind: 'gmem' | 'memfd', fsMagic: 'ANON' | 'GMEMFS'): string =>
  kind === 'memfd' ? '/memfd:gmemcheck (deleted)' : fsMagic === 'ANON' ? 'anon_inode:[kvm-gmem]' : '/[kvm-gmem] (deleted)';

/**
 * LIFE-18: fdinfo's `pos` is the file position (0 on gmem, which has no read or write), `flags`
 * the open file's f_flags — O_RDWR|O_LARGEFILE and what F_SETFL kept — with O_CLOEXEC added when
 * the fd is close-on-exec (a memfd's is not fixed by the vocabulary: both).
 */
export const life18 = rule<FileCtx<'fdInfo'>>({
  id: 'LIFE-18',
  cite: 'LIFE-18; fs/proc/fd.c seq_show (f_flags | O_CLOEXEC when close_on_exec), v7.2',
  decide: ({ p, s, op, ino }) => {
    const e = s.fds.get(op.fd)!;
    const link = linkOf(ino.kind, p.variants.fsMagic);
    const flags = BASE_FL | flOf(ino);
    const out = (cloexec: boolean): Outcome => ok({ pos: ino.pos, flags: flags | (cloexec ? O_CLOEXEC : 0), link });
    if (e.cloexec !== null) return only(s, out(e.cloexec), [cre17]);
    return cases([[out(false), () => s], [out(true), () => s]], 'memfd: the op vocabulary does not fix MFD_CLOEXEC (CRE-7)', [cre17]);
  },
});

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  fdInfo: (p, s, o: OpOf<'fdInfo'>) => onFile({ p, s, op: o }, [fdInfoDead], o.fd, () => [life18]),
} satisfies Steps;
