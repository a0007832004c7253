/**
 * Numbers of the targets' own conventions (./CONVENTIONS.md), shared by the native target and the
 * reproducer's runtime (which gets them as C macros), so the two cannot drift apart.
 */
export const CONVENTION = {
  /** An fd number nothing has open: the kernel answers EBADF for it (SlotFd 'notOpen'). */
  NOT_OPEN_FD: 1_000_000,
  /** Any user address that is not page-aligned (UserAddr 'unaligned'). */
  UNALIGNED_UADDR: 0x1_0000_0800n,
  /** x86-64 user addresses with 4-level paging are below 2^47 (TASK_SIZE_MAX is just below it). */
  USER_TOP: 1n << 47n,
  /** How long a userfault may stay unanswered before the access counts as a harness failure. */
  UFFD_TIMEOUT_MS: 2000,
} as const;
