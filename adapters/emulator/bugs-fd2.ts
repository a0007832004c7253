/**
 * Zoo bugs of the rest of the fd-level calls (issue 15): each a plausible kernel change that breaks
 * one rule of spec/catalogue/surface-fd2-rules.ts (or, where F_GETFD shows it, LIFE-12) on a guest_memfd file, with its
 * shortest counterexample (G = createGmem on vm 0 with fd 0). Spread into ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const FD2_BUGS = [
  // createVm; G; fdIoctl(FIONREAD) → ENOTTY expected, the size with the bug.
  { id: 'fionread-anon-size', description: 'FIONREAD forgets the IS_ANON_FILE check and reports i_size - f_pos of a gmem file', domain: 'fileops', rule: 'FIO-28', needs: '', shortest: 3 },
  // createVm; G; fdIoctl(FIGETBSZ) → ok 4096 expected, ENOTTY with the bug.
  { id: 'figetbsz-anon-enotty', description: 'FIGETBSZ is moved behind the anonymous-inode check and gmem answers ENOTTY instead of the block size', domain: 'fileops', rule: 'FIO-28', needs: '', shortest: 3 },
  // createVm; G; fdAdvise(readahead) → EINVAL expected, ok with the bug.
  { id: 'readahead-anon-ok', description: 'readahead() on a gmem fd reaches generic_fadvise and succeeds (the IS_ANON_FILE refusal is lost)', domain: 'fileops', rule: 'FIO-24', needs: '', shortest: 3 },
  // createVm; G; fdPoll(epollAdd) → EPERM expected, ok with the bug.
  { id: 'epoll-gmem-accepted', description: 'epoll_ctl(ADD) accepts a gmem fd although it has no ->poll', domain: 'fileops', rule: 'LIFE-14', needs: '', shortest: 3 },
  // createVm; G; fdDup(pidfdGetfd); fcntl(new fd, F_GETFD) → 1 expected (LIFE-10 makes the new fd
  // close-on-exec, LIFE-12 reports it), 0 with the bug.
  { id: 'pidfd-getfd-no-cloexec', description: 'pidfd_getfd installs the gmem file without O_CLOEXEC', domain: 'fileops', rule: 'LIFE-17', needs: '', shortest: 4 },
  // createVm; G; fdUring(read, rwf 0x200) → EOPNOTSUPP expected, EINVAL with the bug.
  { id: 'uring-rwf-after-method', description: 'io_uring reads on gmem fail for the missing read method before the rw_flags word is checked (EINVAL instead of EOPNOTSUPP)', domain: 'fileops', rule: 'FIO-27', needs: '', shortest: 3 },
  // createVm; G; pathCall(truncate, /proc/self/fd/0, 4096) → EINVAL expected, ok with the bug.
  { id: 'path-truncate-gmem-ok', description: 'truncate() through /proc/self/fd/N of a gmem file skips its setattr and succeeds', domain: 'fileops', rule: 'FIO-23', needs: '', shortest: 3 },
] as const satisfies readonly BugInfo[];
