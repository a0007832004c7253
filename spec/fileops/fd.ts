/** Descriptor-level ops: close, dup, fstat, fcntl flags, inode identity. */
import { GMEM_ST_MODE, PAGE, err, ok, type Outcome } from '../vocab/index.js';
import { cases, fact, only, rule, andThen } from '../rule.js';
import type { Ctx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import { addFdRef, dropFdRef, life1, slot11 } from '../lifetime/release.js';
import { setIn } from '../state/update.js';
import { imAny } from '../state/imap.js';
import { must, type Steps } from '../run.js';

/** spec/vocab/CONVENTIONS.md: the access mode by name. */
const O_RDWR = 'O_RDWR';
const MEMFD_MODE = 0o100777;

export const closeDead = ebadf<Ctx<'close'>>(({ s, op }) => fdDead(s, op.fd));
/** GEN-CLOSE + LIFE-1: close drops one reference; the inode goes with its last fd and mapping. */
export const closeFd = rule<Ctx<'close'>>({
  id: 'GEN-CLOSE',
  cite: 'fs/open.c close_fd; LIFE-1, SLOT-11 (closing a bound gmem keeps the slot)',
  decide: ({ s, op }) => {
    const e = s.fds.get(op.fd)!;
    const ino = s.inodes.get(e.inode);
    const bound = ino !== undefined && imAny(ino.bindings, 0, Number.MAX_SAFE_INTEGER);
    return andThen(ok(), () => dropFdRef({ ...s, fds: setIn(s.fds, op.fd, undefined) }, e.inode), bound ? [life1, slot11] : [life1]);
  },
});
export const closeChain = [closeDead, closeFd] as const;

export const life2 = fact('LIFE-2', 'LIFE-2 (gmem file operations do not check the mm)');
export const dupDead = ebadf<Ctx<'dup'>>(({ s, op }) => fdDead(s, op.fd));
/** GEN-DUP: same open file (bindings shared, SLOT-5 obs:MS-20..27), no close-on-exec. */
export const dupFd = rule<Ctx<'dup'>>({
  id: 'GEN-DUP',
  cite: 'fs/file.c dup; SLOT-5 (a dup()ed fd shares the bindings), LIFE-2',
  decide: ({ s, op }) => {
    const e = s.fds.get(op.fd)!;
    return andThen(ok(), () => addFdRef({ ...s, fds: setIn(s.fds, op.id, { inode: e.inode, cloexec: false }) }, e.inode), [life2]);
  },
});
export const dupChain = [dupDead, dupFd] as const;

export const fio17 = fact('FIO-17', 'FIO-17; S1 (no inode_add_bytes)');
export const fstatDead = ebadf<Ctx<'fstat'>>(({ s, op }) => fdDead(s, op.fd));
/** CRE-1 / §1.7: st_size is the creation size, st_blksize PAGE_SIZE, st_mode 0100600. */
export const fstatFile = rule<Ctx<'fstat'>>({
  id: 'CRE-1',
  cite: 'CRE-1 (obs:FD-01); mm/shmem.c for memfd (GEN-MEMFD)',
  decide: ({ s, op }) => {
    const ino = s.inodes.get(s.fds.get(op.fd)!.inode)!;
    const mode = ino.kind === 'gmem' ? GMEM_ST_MODE : MEMFD_MODE;
    return only(s, ok({ size: ino.sizeBytes, blksize: PAGE, mode }), [fio17]);
  },
});
export const fstatChain = [fstatDead, fstatFile] as const;

export const life4 = fact('LIFE-4', 'LIFE-4 (no CLOEXEC: the fd survives execve)');
export const cre11 = fact('CRE-11', 'CRE-11 (flags fixed at creation; F_SETFL has no effect)');
export const fdFlagsDead = ebadf<Ctx<'fdFlags'>>(({ s, op }) => fdDead(s, op.fd));
/** CRE-7: O_RDWR and not close-on-exec (memfd: whatever MFD_CLOEXEC the target used). */
export const cre7Flags = rule<Ctx<'fdFlags'>>({
  id: 'CRE-7',
  cite: 'CRE-7; S1 get_unused_fd_flags(0) (obs:FD-07/08)',
  decide: ({ s, op }) => {
    const e = s.fds.get(op.fd)!;
    if (e.cloexec !== null) return only(s, ok({ accmode: O_RDWR, cloexec: e.cloexec }), [life4, cre11]);
    const both: [Outcome, () => typeof s][] = [[ok({ accmode: O_RDWR, cloexec: false }), () => s], [ok({ accmode: O_RDWR, cloexec: true }), () => s]];
    return cases(both, 'memfd: the op vocabulary does not fix MFD_CLOEXEC');
  },
});
export const fdFlagsChain = [fdFlagsDead, cre7Flags] as const;

export const sameDead = ebadf<Ctx<'sameInode'>>(({ s, op }) => fdDead(s, op.fd) || fdDead(s, op.other));
/** CRE-1: every creation is a new inode; dup() names the same one. */
export const sameInode = rule<Ctx<'sameInode'>>({
  id: 'CRE-1',
  cite: 'CRE-1 (distinct st_ino per creation, obs:FD-02); fs/file.c dup',
  decide: ({ s, op }) => only(s, ok(s.fds.get(op.fd)!.inode === s.fds.get(op.other)!.inode)),
});
export const sameInodeChain = [sameDead, sameInode] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  close: (p, s, o) => must({ p, s, op: o }, closeChain),
  dup: (p, s, o) => must({ p, s, op: o }, dupChain),
  fstat: (p, s, o) => must({ p, s, op: o }, fstatChain),
  fdFlags: (p, s, o) => must({ p, s, op: o }, fdFlagsChain),
  sameInode: (p, s, o) => must({ p, s, op: o }, sameInodeChain),
} satisfies Steps;
