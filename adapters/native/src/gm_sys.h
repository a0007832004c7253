/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one C source of syscall wrappers (gm_sys.c): compiled into the addon, under its N-API layer
 * (napi_util.h and the *.cc files), and embedded in every generated reproducer (only the functions a
 * case uses), so the addon and repro.c issue each call the same way by construction. Every wrapper
 * returns the kernel's answer: a non-negative result, or -errno. Nothing is validated here: the
 * boundary check (spec/vocab/validate.ts) ran before, the spec decides what is right after.
 */
#ifndef GM_SYS_H
#define GM_SYS_H
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* fstat fields the vocabulary reports (and st_dev/st_ino for sameInode). */
struct gm_stat { uint64_t size, blksize, mode, dev, ino; };

/* A one-byte access: sig 0 = it completed (value is the byte); else the fault's signal, si_code and si_addr. */
struct gm_access { int sig, code; uint64_t addr; int value; };

/* How an access that may block on a userfault went (gm_access_uffd). */
struct gm_uffd_access {
	int done;                 /* the access finished: `access` holds its result */
	struct gm_access access;
	int have_event;           /* a userfault was read: its flags, page and the resolve's answer */
	uint64_t flags, page;
	long resolve;
	uint64_t unreg_start, unreg_len; /* what was unregistered (len 0: nothing) */
	int timed_out;            /* nobody answered within the time limit */
	uint64_t prot_none;       /* the page made PROT_NONE because the access stayed blocked (0: none) */
	void *stuck;              /* the helper thread, still blocked: never detached, gm_uffd_reap() joins it */
};

long gm_open_kvm(void);
long gm_ioctl_arg(int fd, unsigned long nr, unsigned long arg);
long gm_create_gmem(int vm_fd, uint64_t size, uint64_t flags, const uint64_t *reserved, int n_reserved);
long gm_set_memory_region(int vm_fd, int v1, uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size,
			  uint64_t uaddr, uint32_t gmem_fd, uint64_t gmem_offset);
long gm_set_memory_attributes(int vm_fd, uint64_t gpa, uint64_t size, uint64_t attributes);
long gm_convert(int fd, int api, uint64_t offset, uint64_t len, int to_private, uint64_t *error_offset);
long gm_pre_fault(int vcpu_fd, uint64_t gpa, uint64_t size);
long gm_memfd_create(int64_t size);
long gm_close(int fd);
long gm_dup(int fd);
long gm_fstat(int fd, struct gm_stat *st);
long gm_fd_flags(int fd, int *accmode, int *cloexec);
long gm_file_io(int fd, int call, int64_t offset, uint8_t *buf, uint64_t len);
long gm_ftruncate(int fd, int64_t size);
long gm_fallocate(int fd, int mode, int64_t offset, int64_t len);
long gm_fstatfs(int fd);
long gm_mmap(int fd, int64_t offset, uint64_t length, int prot, int shared, uint64_t *addr);
long gm_munmap(uint64_t addr, uint64_t len);
long gm_mprotect(uint64_t addr, uint64_t len, int prot);
long gm_madvise(uint64_t addr, uint64_t len, int advice);
long gm_mincore(uint64_t addr, uint64_t pages, uint8_t *vec);
int gm_page_mapped(uint64_t addr);
long gm_next_vma(uint64_t addr, uint64_t *start, uint64_t *end);
long gm_kernel_access(uint64_t addr, uint8_t *buf, uint64_t len, int write);
long gm_mbind(uint64_t addr, uint64_t len, int mode, unsigned long nodes, unsigned flags);
long gm_get_mempolicy(uint64_t addr, int flags, int *mode, unsigned long *nodes);
long gm_set_mempolicy(int mode, unsigned long nodes);
uint64_t gm_uffd_unservable(uint64_t features);
long gm_uffd_create(uint64_t features);
long gm_uffd_register(int uffd, uint64_t start, uint64_t len, uint64_t mode);
long gm_uffd_unregister(int uffd, uint64_t start, uint64_t len);
long gm_uffd_resolve(int uffd, int how, uint64_t dst, uint64_t len, uint8_t fill);
uint8_t *gm_buf_take(uint64_t len, int fill, size_t *mapped);
void gm_buf_give(uint8_t *p, size_t mapped);
int gm_guard_catch(int sig, siginfo_t *si);
struct gm_access gm_guarded_access(uint8_t *p, int store, uint8_t value);
void gm_access_uffd(uint8_t *p, int store, uint8_t value, int uffd, int how, uint8_t fill, int timeout_ms,
		    uint64_t reg_start, uint64_t reg_len, struct gm_uffd_access *out);
int gm_uffd_reap(void *stuck, int wait_ms);

#ifdef __cplusplus
}
#endif
#endif /* GM_SYS_H */
