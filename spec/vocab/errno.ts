/** errno names and their x86-64 numbers (kernel-rules.md §1.9; include/uapi/asm-generic/errno-base.h, errno.h). */
export const ERRNO = {
  EPERM: 1, ENOENT: 2, EINTR: 4, EIO: 5, ENXIO: 6, EBADF: 9, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14,
  EBUSY: 16, EEXIST: 17, EXDEV: 18, ENODEV: 19, EINVAL: 22, ENOTTY: 25, EFBIG: 27, ENOSPC: 28, ESPIPE: 29,
  ERANGE: 34, ENOSYS: 38, EOVERFLOW: 75, EOPNOTSUPP: 95, ETIMEDOUT: 110, EHWPOISON: 133,
} as const;
/** A name gmemcheck knows, or `ERRNO_<n>` for a number it does not. */
export type Errno = keyof typeof ERRNO | `ERRNO_${number}`;

const BY_NUMBER: ReadonlyMap<number, Errno> = new Map(
  (Object.entries(ERRNO) as [Errno, number][]).map(([k, v]) => [v, k]),
);

/** Name of an errno number. */
export const errnoName = (n: number): Errno => BY_NUMBER.get(n) ?? `ERRNO_${n}`;
