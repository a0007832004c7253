/**
 * Handles name the objects an operation sequence creates. They are small integers assigned in
 * creation order (the n-th createVm gets vm #n, whether or not it succeeded), so a sequence is
 * replayable on any target: the target keeps its own table from handle to real fd / address.
 * A handle whose creation failed, or that was closed, names nothing: the spec expects EBADF
 * (or the op's own "no such object" outcome) and a native target passes an invalid fd (-1).
 */
export type VmHandle = number;
/** guest_memfd fds, memfd (shmem control backing) fds and dup()ed fds share one namespace. */
export type FdHandle = number;
export type MapHandle = number;
export type UffdHandle = number;
/** A pin on pages of a mapping: an io_uring ring with one registered buffer, or a pipe holding vmspliced pages. */
export type PinHandle = number;
/** A vCPU fd (KVM_CREATE_VCPU). */
export type VcpuHandle = number;

export const PAGE_SIZE = 4096n;
export const PAGE = 4096;
