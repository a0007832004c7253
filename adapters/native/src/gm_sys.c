// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one C source of syscall wrappers (see gm_sys.h), compiled into the addon and embedded in
 * every reproducer. Layout rule, because a reproducer embeds single items of this file: top-level
 * items are separated by one blank line and have none inside; a system #include names in its
 * comment the identifiers it is needed for. Each wrapper returns the kernel's answer: >= 0, or -errno.
 */
#include <errno.h>       /* errno */
#include <fcntl.h>       /* open fcntl memfd_create fallocate O_RDWR */
#include <poll.h>        /* poll */
#include <pthread.h>     /* pthread_create */
#include <setjmp.h>      /* sigsetjmp siglongjmp */
#include <signal.h>      /* siginfo_t sigaction signal */
#include <stdint.h>      /* uint64_t */
#include <stdlib.h>      /* calloc free exit */
#include <string.h>      /* memset memcpy strncmp */
#include <sys/eventfd.h> /* eventfd */
#include <sys/ioctl.h>   /* ioctl */
#include <sys/mman.h>    /* mmap munmap mprotect madvise mincore */
#include <sys/stat.h>    /* fstat */
#include <sys/syscall.h> /* syscall */
#include <sys/uio.h>     /* process_vm_readv */
#include <sys/vfs.h>     /* fstatfs */
#include <time.h>        /* clock_gettime */
#include <unistd.h>      /* close read write dup lseek getpid ftruncate */
#include "gm_sys.h"
#include "gm_uapi.h"

/* A libc return value as the kernel's answer: the value, or -errno. */
static long gm_rc(long r) { return r < 0 ? -errno : r; }

long gm_open_kvm(void) { return gm_rc(open("/dev/kvm", O_RDWR | O_CLOEXEC)); }

/* An ioctl whose argument is a plain integer (KVM_CREATE_VM, KVM_CHECK_EXTENSION, KVM_CREATE_VCPU). */
long gm_ioctl_arg(int fd, unsigned long nr, unsigned long arg) { return gm_rc(ioctl(fd, nr, arg)); }

long gm_create_gmem(int vm_fd, uint64_t size, uint64_t flags, const uint64_t *reserved, int n_reserved)
{
	struct kvm_create_guest_memfd c = { .size = size, .flags = flags };
	for (int i = 0; i < n_reserved && i < 6; i++) c.reserved[i] = reserved[i];
	return gm_rc(ioctl(vm_fd, KVM_CREATE_GUEST_MEMFD, &c));
}

/* v1 passes the first 32 bytes of the same layout (struct kvm_userspace_memory_region). */
long gm_set_memory_region(int vm_fd, int v1, uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size,
			  uint64_t uaddr, uint32_t gmem_fd, uint64_t gmem_offset)
{
	struct kvm_userspace_memory_region2 r = { .slot = slot, .flags = flags, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = uaddr, .guest_memfd = gmem_fd, .guest_memfd_offset = gmem_offset };
	return gm_rc(ioctl(vm_fd, v1 ? KVM_SET_USER_MEMORY_REGION : KVM_SET_USER_MEMORY_REGION2, &r));
}

/* addon: setMemoryAttributes */
long gm_set_memory_attributes(int vm_fd, uint64_t gpa, uint64_t size, uint64_t attributes)
{
	struct kvm_memory_attributes a = { .address = gpa, .size = size, .attributes = attributes };
	return gm_rc(ioctl(vm_fd, KVM_SET_MEMORY_ATTRIBUTES, &a));
}

/* api 0: KVM_SET_MEMORY_ATTRIBUTES2; 1: KVM_GMEM_CONVERT_*. error_offset stays ~0 unless the kernel wrote it. */
long gm_convert(int fd, int api, uint64_t offset, uint64_t len, int to_private, uint64_t *error_offset)
{
	struct kvm_memory_attributes2 a = { .offset = offset, .size = len, .error_offset = ~0ULL };
	struct kvm_gmem_convert c = { .offset = offset, .size = len, .error_offset = ~0ULL };
	long rc;
	a.attributes = to_private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
	if (api == 0) rc = gm_rc(ioctl(fd, KVM_SET_MEMORY_ATTRIBUTES2, &a));
	else rc = gm_rc(ioctl(fd, to_private ? KVM_GMEM_CONVERT_PRIVATE : KVM_GMEM_CONVERT_SHARED, &c));
	*error_offset = api == 0 ? a.error_offset : c.error_offset;
	return rc;
}

/* addon: preFault */
long gm_pre_fault(int vcpu_fd, uint64_t gpa, uint64_t size)
{
	struct kvm_pre_fault_memory p = { .gpa = gpa, .size = size };
	return gm_rc(ioctl(vcpu_fd, KVM_PRE_FAULT_MEMORY, &p));
}

/* memfd_create + ftruncate: the shmem control backing; an ftruncate failure closes the fd again. */
long gm_memfd_create(int64_t size)
{
	long fd = gm_rc(memfd_create("gmemcheck", MFD_CLOEXEC)), e;
	if (fd < 0 || ftruncate((int)fd, size) == 0) return fd;
	e = -errno;
	close((int)fd);
	return e;
}

/* addon: close */
long gm_close(int fd) { return gm_rc(close(fd)); }

/* addon: dup */
long gm_dup(int fd) { return gm_rc(dup(fd)); }

long gm_fstat(int fd, struct gm_stat *st)
{
	struct stat s;
	long rc = gm_rc(fstat(fd, &s));
	if (rc == 0) *st = (struct gm_stat){ (uint64_t)s.st_size, (uint64_t)s.st_blksize, s.st_mode, s.st_dev, s.st_ino };
	return rc;
}

long gm_fd_flags(int fd, int *accmode, int *cloexec)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0) return -errno;
	*accmode = fl & O_ACCMODE;
	*cloexec = (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
	return 0;
}

/* call: 0 read, 1 write, 2 pread, 3 pwrite, 4 lseek(SEEK_SET; the new offset), 5 fsync. */
long gm_file_io(int fd, int call, int64_t offset, uint8_t *buf, uint64_t len)
{
	switch (call) {
	case 0: return gm_rc(read(fd, buf, len));
	case 1: return gm_rc(write(fd, buf, len));
	case 2: return gm_rc(pread(fd, buf, len, offset));
	case 3: return gm_rc(pwrite(fd, buf, len, offset));
	case 4: return gm_rc(lseek(fd, offset, SEEK_SET));
	default: return gm_rc(fsync(fd));
	}
}

/* addon: ftruncate */
long gm_ftruncate(int fd, int64_t size) { return gm_rc(ftruncate(fd, size)); }

/* addon: fallocate */
long gm_fallocate(int fd, int mode, int64_t offset, int64_t len) { return gm_rc(fallocate(fd, mode, offset, len)); }

/* f_type: 0x09041934 (anon_inode) on 6.18, 0x474d454d (guest_memfd fs) later. (addon: fstatfs) */
long gm_fstatfs(int fd)
{
	struct statfs s;
	return fstatfs(fd, &s) < 0 ? -errno : (long)(uint32_t)s.f_type;
}

/* The kernel picks the address (never MAP_FIXED). */
long gm_mmap(int fd, int64_t offset, uint64_t length, int prot, int shared, uint64_t *addr)
{
	void *p = mmap(NULL, length, prot, shared ? MAP_SHARED : MAP_PRIVATE, fd, offset);
	*addr = p == MAP_FAILED ? 0 : (uint64_t)(uintptr_t)p;
	return p == MAP_FAILED ? -errno : 0;
}

/* addon: munmap */
long gm_munmap(uint64_t addr, uint64_t len) { return gm_rc(munmap((void *)(uintptr_t)addr, len)); }

/* addon: mprotect */
long gm_mprotect(uint64_t addr, uint64_t len, int prot) { return gm_rc(mprotect((void *)(uintptr_t)addr, len, prot)); }

/* addon: madvise */
long gm_madvise(uint64_t addr, uint64_t len, int advice) { return gm_rc(madvise((void *)(uintptr_t)addr, len, advice)); }

long gm_mincore(uint64_t addr, uint64_t pages, uint8_t *vec) { return gm_rc(mincore((void *)(uintptr_t)addr, pages * 4096, vec)); }

/* Is any VMA at this page? mincore answers ENOMEM exactly when the page is unmapped. */
int gm_page_mapped(uint64_t addr)
{
	unsigned char v = 0;
	return !(mincore((void *)(uintptr_t)(addr & ~4095ULL), 4096, &v) < 0 && errno == ENOMEM);
}

/* The VMA covering or following addr (PROCMAP_QUERY): 1 found, 0 none, -errno unsupported. */
long gm_next_vma(uint64_t addr, uint64_t *start, uint64_t *end)
{
	struct procmap_query q = { .size = sizeof(q), .query_flags = PROCMAP_QUERY_COVERING_OR_NEXT_VMA, .query_addr = addr };
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC), rc, e;
	if (fd < 0) return -errno;
	rc = ioctl(fd, PROCMAP_QUERY, &q);
	e = errno;
	close(fd);
	if (rc < 0) return e == ENOENT ? 0 : -e;
	*start = q.vma_start;
	*end = q.vma_end;
	return 1;
}

/* process_vm_readv/writev on our own pid: the kernel walks our page tables with GUP. */
long gm_kernel_access(uint64_t addr, uint8_t *buf, uint64_t len, int write)
{
	struct iovec local = { buf, len }, remote = { (void *)(uintptr_t)addr, len };
	return gm_rc(write ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0) : process_vm_readv(getpid(), &local, 1, &remote, 1, 0));
}

/* Node masks are one unsigned long (maxnode 64): enough for any host probed. (addon: mbind) */
long gm_mbind(uint64_t addr, uint64_t len, int mode, unsigned long nodes, unsigned flags)
{
	return gm_rc(syscall(SYS_mbind, addr, len, mode, &nodes, 64UL, flags));
}

long gm_get_mempolicy(uint64_t addr, int flags, int *mode, unsigned long *nodes)
{
	return gm_rc(syscall(SYS_get_mempolicy, mode, nodes, 64UL, addr, flags));
}

/* addon: setMempolicy */
long gm_set_mempolicy(int mode, unsigned long nodes) { return gm_rc(syscall(SYS_set_mempolicy, mode, &nodes, 64UL)); }

/* The feature bits this kernel offers that a monitor which is also the accessing thread cannot serve (all, if unknown). */
uint64_t gm_uffd_unservable(uint64_t features)
{
	struct uffdio_api api = { .api = UFFD_API };
	long fd = syscall(SYS_userfaultfd, UFFD_USER_MODE_ONLY | O_CLOEXEC | O_NONBLOCK);
	int rc = fd < 0 ? -1 : ioctl((int)fd, UFFDIO_API, &api);
	if (fd >= 0) close((int)fd);
	return features & (rc < 0 ? ~0ULL : api.features) & ~(uint64_t)UFFD_FEATURES_SERVABLE;
}

/* UFFD_USER_MODE_ONLY: kernel-mode faults (GUP) in a registered range fail instead of blocking. */
long gm_uffd_create(uint64_t features)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features };
	long fd = gm_rc(syscall(SYS_userfaultfd, UFFD_USER_MODE_ONLY | O_CLOEXEC | O_NONBLOCK)), e;
	if (fd < 0 || ioctl((int)fd, UFFDIO_API, &api) == 0) return fd;
	e = -errno;
	close((int)fd);
	return e;
}

/* addon: uffdRegister */
long gm_uffd_register(int uffd, uint64_t start, uint64_t len, uint64_t mode)
{
	struct uffdio_register r = { .range = { start, len }, .mode = mode };
	return gm_rc(ioctl(uffd, UFFDIO_REGISTER, &r));
}

/* Unregister, then wake whoever waits there: unregister alone leaves a blocked MINOR fault asleep (found by the soak). (addon: uffdUnregister) */
long gm_uffd_unregister(int uffd, uint64_t start, uint64_t len)
{
	struct uffdio_range r = { start, len };
	long rc = gm_rc(ioctl(uffd, UFFDIO_UNREGISTER, &r));
	ioctl(uffd, UFFDIO_WAKE, &r);
	return rc;
}

/*
 * Scratch buffers for op-sized I/O. Up to 64 KiB they come from two static slabs, never a fresh
 * mmap: the kernel puts a new mapping in the highest gap that fits, often right next to the
 * mapping under test, which turned an off-the-end mincore's ENOMEM into a result. Larger ones are
 * MAP_NORESERVE memory; the fill is capped at 64 MiB.
 */
static _Alignas(4096) uint8_t gm_slab[2][64 << 10];

static int gm_slab_taken[2];

uint8_t *gm_buf_take(uint64_t len, int fill, size_t *mapped)
{
	size_t n = len == 0 ? 4096 : (size_t)((len + 4095) & ~4095ULL), cap = (size_t)64 << 20;
	uint8_t *p = NULL;
	*mapped = 0;
	for (int i = 0; i < 2 && n <= sizeof(gm_slab[i]) && p == NULL; i++)
		if (!__atomic_exchange_n(&gm_slab_taken[i], 1, __ATOMIC_ACQ_REL)) p = memset(gm_slab[i], 0, n);
	if (p == NULL) {
		void *m = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m == MAP_FAILED) return NULL;
		p = m;
		*mapped = n;
	}
	if (fill != 0) memset(p, fill, n < cap ? n : cap);
	return p;
}

void gm_buf_give(uint8_t *p, size_t mapped)
{
	if (mapped != 0) munmap(p, mapped);
	for (int i = 0; i < 2; i++)
		if (p == gm_slab[i]) __atomic_store_n(&gm_slab_taken[i], 0, __ATOMIC_RELEASE);
}

/* how: 0 COPY (len bytes of fill), 1 CONTINUE, 2 ZEROPAGE. Returns the count the kernel reports. */
long gm_uffd_resolve(int uffd, int how, uint64_t dst, uint64_t len, uint8_t fill)
{
	struct uffdio_continue k = { .range = { dst, len } };
	struct uffdio_zeropage z = { .range = { dst, len } };
	struct uffdio_copy c = { .dst = dst, .len = len };
	size_t mapped;
	uint8_t *src;
	long rc;
	if (how == 1) return ioctl(uffd, UFFDIO_CONTINUE, &k) < 0 ? -errno : k.mapped;
	if (how == 2) return ioctl(uffd, UFFDIO_ZEROPAGE, &z) < 0 ? -errno : z.zeropage;
	if ((src = gm_buf_take(len, fill, &mapped)) == NULL) return -ENOMEM;
	c.src = (uint64_t)(uintptr_t)src;
	rc = ioctl(uffd, UFFDIO_COPY, &c) < 0 ? -errno : c.copy;
	gm_buf_give(src, mapped);
	return rc;
}

/* Faults as outcomes: a per-thread jump buffer, armed only around one byte access. */
struct gm_arm { sigjmp_buf jb; volatile int sig, code; volatile uint64_t addr; };

/* initial-exec TLS: the signal handler reads it without calling into the dynamic loader. */
static __thread struct gm_arm *volatile gm_t_arm __attribute__((tls_model("initial-exec")));

/* For the SIGBUS/SIGSEGV handler: unwinds an armed access; returns 0 when the fault is not ours. */
int gm_guard_catch(int sig, siginfo_t *si)
{
	struct gm_arm *a = gm_t_arm;
	if (a == NULL) return 0;
	gm_t_arm = NULL, a->sig = sig, a->code = si->si_code, a->addr = (uint64_t)(uintptr_t)si->si_addr;
	siglongjmp(a->jb, 1);
}

/* One byte loaded or stored at p; a fault comes back as data. The fences keep the arming around the access. */
struct gm_access gm_guarded_access(uint8_t *p, int store, uint8_t value)
{
	struct gm_arm a = { .sig = 0 };
	struct gm_access r = { 0, 0, 0, value };
	if (sigsetjmp(a.jb, 0)) return (struct gm_access){ a.sig, a.code, a.addr, 0 };
	gm_t_arm = &a;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (store) *(volatile uint8_t *)p = value; else r.value = *(volatile uint8_t *)p;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	gm_t_arm = NULL;
	return r;
}

/* The helper thread's share: heap-owned, so it outlives whichever side finishes last. */
struct gm_worker { uint8_t *p; int store, done_fd; uint8_t value; struct gm_access r; pthread_t thread; };

static void *gm_worker_main(void *arg)
{
	struct gm_worker *w = arg;
	uint64_t one = 1;
	w->r = gm_guarded_access(w->p, w->store, w->value);
	if (write(w->done_fd, &one, sizeof(one)) < 0) { /* the poll below times out instead */ }
	return NULL;
}

static long gm_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Waits up to ms for the helper to signal it finished. */
static int gm_wait_done(int done_fd, int ms)
{
	struct pollfd p = { done_fd, POLLIN, 0 };
	for (long deadline = gm_now_ms() + ms;;) {
		long left = deadline - gm_now_ms();
		int n = poll(&p, 1, left > 0 ? (int)left : 0);
		if (n > 0) return 1;
		if (n == 0 || errno != EINTR) return 0;
	}
}

/*
 * A load/store that may block on a userfault: it runs on a helper thread while this thread reads
 * the fault and answers it with `how`, as a uffd monitor would. A failed answer unregisters (and
 * wakes) the faulting page, so the access finishes as without uffd. Nobody answering within the
 * time limit: the whole range is unregistered and the access gets one more (short) while. Every
 * wait sleeps in poll(2); a uffd that errs or floods other events stops being polled. A helper
 * still blocked after all that is never detached: its page goes PROT_NONE first (whenever it
 * resumes it faults instead of storing into memory that may belong to someone else by then) and
 * it is handed back as `stuck` for gm_uffd_reap().
 */
void gm_access_uffd(uint8_t *p, int store, uint8_t value, int uffd, int how, uint8_t fill, int timeout_ms,
		    uint64_t reg_start, uint64_t reg_len, struct gm_uffd_access *out)
{
	struct gm_worker *w = calloc(1, sizeof(*w));
	int polling = 1, events = 0, strays = 0;
	long deadline = gm_now_ms() + timeout_ms;
	memset(out, 0, sizeof(*out));
	if (w != NULL) *w = (struct gm_worker){ .p = p, .store = store, .done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), .value = value };
	if (w == NULL || w->done_fd < 0 || pthread_create(&w->thread, NULL, gm_worker_main, w) != 0) {
		if (w != NULL && w->done_fd >= 0) close(w->done_fd);
		free(w);
		out->timed_out = 1;
		return;
	}
	while (!out->done) {
		struct pollfd fds[2] = { { w->done_fd, POLLIN, 0 }, { uffd, POLLIN, 0 } };
		struct uffd_msg m;
		long left = deadline - gm_now_ms(), rc;
		int n;
		ssize_t r;
		if (left <= 0) {
			if (out->timed_out) break;
			gm_uffd_unregister(uffd, reg_start, reg_len);
			out->unreg_start = reg_start, out->unreg_len = reg_len, out->timed_out = 1, polling = 0;
			deadline = gm_now_ms() + (timeout_ms < 1000 ? timeout_ms : 1000);
			continue;
		}
		n = poll(fds, polling ? 2 : 1, (int)left);
		if (n < 0) { polling = errno == EINTR ? polling : 0; continue; }
		if (fds[0].revents & POLLIN) { out->done = 1; break; }
		if (!polling || n == 0 || !(fds[1].revents & (POLLIN | POLLERR | POLLHUP | POLLNVAL))) continue;
		if (fds[1].revents & (POLLERR | POLLHUP | POLLNVAL)) { polling = 0; continue; }
		r = read(uffd, &m, sizeof(m));
		if (r != (ssize_t)sizeof(m)) {
			if (!(r < 0 && errno == EAGAIN) || ++strays > 64) polling = 0;
			continue;
		}
		if (m.event != UFFD_EVENT_PAGEFAULT) { /* not expected: the event features are refused */
			if (++strays > 64) polling = 0;
			continue;
		}
		rc = gm_uffd_resolve(uffd, how, m.address & ~4095ULL, 4096, fill);
		if (!out->have_event) out->have_event = 1, out->flags = m.flags, out->page = m.address & ~4095ULL, out->resolve = rc;
		if (rc < 0 || ++events > 8) {
			gm_uffd_unregister(uffd, m.address & ~4095ULL, 4096);
			out->unreg_start = m.address & ~4095ULL, out->unreg_len = 4096;
		}
	}
	if (!out->done) {
		struct uffdio_range page = { (uint64_t)(uintptr_t)p & ~4095ULL, 4096 };
		mprotect((void *)(uintptr_t)page.start, 4096, PROT_NONE);
		ioctl(uffd, UFFDIO_WAKE, &page);
		out->prot_none = page.start;
		out->done = gm_wait_done(w->done_fd, 100);
	}
	if (!out->done) {
		out->stuck = w;
		return;
	}
	pthread_join(w->thread, NULL);
	out->access = w->r;
	close(w->done_fd);
	free(w);
}

/* Waits up to wait_ms for a stuck helper (gm_access_uffd) to end; 1 once it is joined and freed. */
int gm_uffd_reap(void *stuck, int wait_ms)
{
	struct gm_worker *w = stuck;
	if (!gm_wait_done(w->done_fd, wait_ms)) return 0;
	pthread_join(w->thread, NULL);
	close(w->done_fd);
	free(w);
	return 1;
}
