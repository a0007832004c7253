// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one C source of syscall wrappers (see gm_sys.h). Layout rule, because reproducers embed
 * single items of this file: top-level items are separated by one blank line, and no item has a
 * blank line inside. Each returns the kernel's answer: >= 0, or -errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>
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
	for (int i = 0; i < n_reserved && i < 6; i++)
		c.reserved[i] = reserved[i];
	return gm_rc(ioctl(vm_fd, KVM_CREATE_GUEST_MEMFD, &c));
}

/* v1 passes the first 32 bytes of the same layout (struct kvm_userspace_memory_region). */
long gm_set_memory_region(int vm_fd, int v1, uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size,
			  uint64_t uaddr, uint32_t gmem_fd, uint64_t gmem_offset)
{
	struct kvm_userspace_memory_region2 r = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = uaddr, .guest_memfd = gmem_fd, .guest_memfd_offset = gmem_offset,
	};
	return gm_rc(ioctl(vm_fd, v1 ? KVM_SET_USER_MEMORY_REGION : KVM_SET_USER_MEMORY_REGION2, &r));
}

long gm_set_memory_attributes(int vm_fd, uint64_t gpa, uint64_t size, uint64_t attributes)
{
	struct kvm_memory_attributes a = { .address = gpa, .size = size, .attributes = attributes };
	return gm_rc(ioctl(vm_fd, KVM_SET_MEMORY_ATTRIBUTES, &a));
}

/* api 0: KVM_SET_MEMORY_ATTRIBUTES2; 1: KVM_GMEM_CONVERT_*. error_offset stays ~0 unless the kernel wrote it. */
long gm_convert(int fd, int api, uint64_t offset, uint64_t len, int to_private, uint64_t *error_offset)
{
	long rc;
	if (api == 0) {
		struct kvm_memory_attributes2 a = { .offset = offset, .size = len, .error_offset = ~0ULL };
		a.attributes = to_private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
		rc = gm_rc(ioctl(fd, KVM_SET_MEMORY_ATTRIBUTES2, &a));
		*error_offset = a.error_offset;
	} else {
		struct kvm_gmem_convert c = { .offset = offset, .size = len, .error_offset = ~0ULL };
		rc = gm_rc(ioctl(fd, to_private ? KVM_GMEM_CONVERT_PRIVATE : KVM_GMEM_CONVERT_SHARED, &c));
		*error_offset = c.error_offset;
	}
	return rc;
}

long gm_pre_fault(int vcpu_fd, uint64_t gpa, uint64_t size)
{
	struct kvm_pre_fault_memory p = { .gpa = gpa, .size = size };
	return gm_rc(ioctl(vcpu_fd, KVM_PRE_FAULT_MEMORY, &p));
}

/* memfd_create + ftruncate: the shmem control backing; an ftruncate failure closes the fd again. */
long gm_memfd_create(int64_t size)
{
	long fd = gm_rc(memfd_create("gmemcheck", MFD_CLOEXEC));
	if (fd >= 0 && ftruncate((int)fd, size) < 0) {
		long e = -errno;
		close((int)fd);
		return e;
	}
	return fd;
}

long gm_close(int fd) { return gm_rc(close(fd)); }

long gm_dup(int fd) { return gm_rc(dup(fd)); }

long gm_fstat(int fd, struct gm_stat *st)
{
	struct stat s;
	long rc = gm_rc(fstat(fd, &s));
	if (rc == 0)
		*st = (struct gm_stat){ (uint64_t)s.st_size, (uint64_t)s.st_blksize, s.st_mode, s.st_dev, s.st_ino };
	return rc;
}

long gm_fd_flags(int fd, int *accmode, int *cloexec)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -errno;
	*accmode = fl & O_ACCMODE;
	*cloexec = (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
	return 0;
}

/* call: 0 read, 1 write, 2 pread, 3 pwrite, 4 lseek(SEEK_SET; returns the offset), 5 fsync. */
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

long gm_ftruncate(int fd, int64_t size) { return gm_rc(ftruncate(fd, size)); }

long gm_fallocate(int fd, int mode, int64_t offset, int64_t len) { return gm_rc(fallocate(fd, mode, offset, len)); }

/* f_type: 0x09041934 (anon_inode) on 6.18, 0x474d454d (guest_memfd fs) later. */
long gm_fstatfs(int fd)
{
	struct statfs s;
	return fstatfs(fd, &s) < 0 ? -errno : (long)(uint32_t)s.f_type;
}

/* The kernel picks the address (never MAP_FIXED). */
long gm_mmap(int fd, int64_t offset, uint64_t length, int prot, int shared, uint64_t *addr)
{
	void *p = mmap(NULL, length, prot, shared ? MAP_SHARED : MAP_PRIVATE, fd, offset);
	if (p == MAP_FAILED)
		return -errno;
	*addr = (uint64_t)(uintptr_t)p;
	return 0;
}

long gm_munmap(uint64_t addr, uint64_t len) { return gm_rc(munmap((void *)(uintptr_t)addr, len)); }

long gm_mprotect(uint64_t addr, uint64_t len, int prot) { return gm_rc(mprotect((void *)(uintptr_t)addr, len, prot)); }

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
	if (fd < 0)
		return -errno;
	rc = ioctl(fd, PROCMAP_QUERY, &q);
	e = errno;
	close(fd);
	if (rc < 0)
		return e == ENOENT ? 0 : -e;
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

/* Node masks are one unsigned long (maxnode 64): enough for any host probed. */
long gm_mbind(uint64_t addr, uint64_t len, int mode, unsigned long nodes, unsigned flags)
{
	return gm_rc(syscall(SYS_mbind, addr, len, mode, &nodes, 64UL, flags));
}

long gm_get_mempolicy(uint64_t addr, int flags, int *mode, unsigned long *nodes)
{
	return gm_rc(syscall(SYS_get_mempolicy, mode, nodes, 64UL, addr, flags));
}

long gm_set_mempolicy(int mode, unsigned long nodes) { return gm_rc(syscall(SYS_set_mempolicy, mode, &nodes, 64UL)); }

/* UFFD_USER_MODE_ONLY: kernel-mode faults (GUP) in a registered range fail instead of blocking. */
long gm_uffd_create(uint64_t features)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features };
	long fd = gm_rc(syscall(SYS_userfaultfd, UFFD_USER_MODE_ONLY | O_CLOEXEC | O_NONBLOCK));
	if (fd >= 0 && ioctl((int)fd, UFFDIO_API, &api) < 0) {
		long e = -errno;
		close((int)fd);
		return e;
	}
	return fd;
}

long gm_uffd_register(int uffd, uint64_t start, uint64_t len, uint64_t mode)
{
	struct uffdio_register r = { .range = { start, len }, .mode = mode };
	return gm_rc(ioctl(uffd, UFFDIO_REGISTER, &r));
}

/* Unregister, then wake whoever waits there: unregister alone leaves a blocked MINOR fault asleep (found by the soak). */
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
	size_t n = (size_t)((len + 4095) & ~4095ULL), cap = (size_t)64 << 20;
	uint8_t *p = NULL;
	if (n == 0)
		n = 4096;
	*mapped = 0;
	for (int i = 0; i < 2 && n <= sizeof(gm_slab[i]) && p == NULL; i++)
		if (!__atomic_exchange_n(&gm_slab_taken[i], 1, __ATOMIC_ACQ_REL))
			p = memset(gm_slab[i], 0, n);
	if (p == NULL) {
		void *m = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m == MAP_FAILED)
			return NULL;
		p = m;
		*mapped = n;
	}
	if (fill != 0)
		memset(p, fill, n < cap ? n : cap);
	return p;
}

void gm_buf_give(uint8_t *p, size_t mapped)
{
	if (mapped != 0)
		munmap(p, mapped);
	for (int i = 0; i < 2; i++)
		if (p == gm_slab[i])
			__atomic_store_n(&gm_slab_taken[i], 0, __ATOMIC_RELEASE);
}

/* how: 0 COPY (len bytes of fill), 1 CONTINUE, 2 ZEROPAGE. Returns the count the kernel reports. */
long gm_uffd_resolve(int uffd, int how, uint64_t dst, uint64_t len, uint8_t fill)
{
	long rc;
	size_t mapped;
	uint8_t *src;
	if (how == 1) {
		struct uffdio_continue c = { .range = { dst, len } };
		return ioctl(uffd, UFFDIO_CONTINUE, &c) < 0 ? -errno : c.mapped;
	}
	if (how == 2) {
		struct uffdio_zeropage z = { .range = { dst, len } };
		return ioctl(uffd, UFFDIO_ZEROPAGE, &z) < 0 ? -errno : z.zeropage;
	}
	src = gm_buf_take(len, fill, &mapped);
	if (src == NULL)
		return -ENOMEM;
	struct uffdio_copy c = { .dst = dst, .src = (uint64_t)(uintptr_t)src, .len = len };
	rc = ioctl(uffd, UFFDIO_COPY, &c) < 0 ? -errno : c.copy;
	gm_buf_give(src, mapped);
	return rc;
}

/*
 * Faults as outcomes: a per-thread jump buffer is armed only around one byte access. The pointer
 * lives in initial-exec TLS, so the signal handler reads it without calling into the loader.
 */
struct gm_arm {
	sigjmp_buf jb;
	volatile int sig, code;
	volatile uint64_t addr;
};

static __thread struct gm_arm *volatile gm_t_arm __attribute__((tls_model("initial-exec")));

/* Called by the SIGBUS/SIGSEGV handler: unwinds an armed access; returns 0 when the fault is not ours. */
int gm_guard_catch(int sig, siginfo_t *si)
{
	struct gm_arm *a = gm_t_arm;
	if (a == NULL)
		return 0;
	gm_t_arm = NULL;
	a->sig = sig;
	a->code = si->si_code;
	a->addr = (uint64_t)(uintptr_t)si->si_addr;
	siglongjmp(a->jb, 1);
}

/* The fences keep the compiler from moving the arming after the access or the disarming before it. */
struct gm_access gm_guarded_access(uint8_t *p, int store, uint8_t value)
{
	struct gm_arm a;
	struct gm_access r = { 0, 0, 0, 0 };
	volatile int loaded = 0;
	a.sig = 0;
	if (sigsetjmp(a.jb, 0) == 0) {
		gm_t_arm = &a;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		if (store) {
			*(volatile uint8_t *)p = value;
			loaded = value;
		} else {
			loaded = *(volatile uint8_t *)p;
		}
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		gm_t_arm = NULL;
		r.value = loaded;
		return r;
	}
	r.sig = a.sig;
	r.code = a.code;
	r.addr = a.addr;
	return r;
}

/* The helper thread's share: heap-owned, so it outlives whichever side finishes last. */
struct gm_worker {
	uint8_t *p;
	int store;
	uint8_t value;
	struct gm_access r;
	int done_fd;
	pthread_t thread;
};

static void *gm_worker_main(void *arg)
{
	struct gm_worker *w = arg;
	uint64_t one = 1;
	w->r = gm_guarded_access(w->p, w->store, w->value);
	if (write(w->done_fd, &one, sizeof(one)) < 0) { /* the poll times out instead */ }
	return NULL;
}

static long gm_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int gm_left_ms(long deadline)
{
	long left = deadline - gm_now_ms();
	return left > 0 ? (int)left : 0;
}

/* Waits up to ms for an eventfd to be signalled (EINTR restarts with the time left). */
static int gm_wait_fd(int fd, int ms)
{
	long deadline = gm_now_ms() + ms;
	struct pollfd p = { fd, POLLIN, 0 };
	for (;;) {
		int n = poll(&p, 1, gm_left_ms(deadline));
		if (n > 0)
			return 1;
		if (n == 0 || errno != EINTR)
			return 0;
	}
}

/* The features this kernel offers that a single-reader monitor cannot serve (all bits if the kernel cannot be asked). */
uint64_t gm_uffd_unservable(uint64_t features)
{
	struct uffdio_api api = { .api = UFFD_API, .features = 0 };
	uint64_t offered = ~0ULL;
	long fd = syscall(SYS_userfaultfd, UFFD_USER_MODE_ONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd >= 0) {
		if (ioctl((int)fd, UFFDIO_API, &api) == 0)
			offered = api.features;
		close((int)fd);
	}
	return features & offered & ~(uint64_t)UFFD_FEATURES_SERVABLE;
}

/* One read of the uffd, answered: 1 a fault was handled, 0 nothing to read, -1 the uffd misbehaves. */
static int gm_serve_one(int uffd, int how, uint8_t fill, int *events, struct gm_uffd_access *out)
{
	struct uffd_msg m;
	uint64_t page;
	long rc;
	ssize_t r = read(uffd, &m, sizeof(m));
	if (r != (ssize_t)sizeof(m))
		return r < 0 && errno == EAGAIN ? 0 : -1;
	if (m.event != UFFD_EVENT_PAGEFAULT)
		return -1; /* not expected: the event features are refused */
	page = m.address & ~4095ULL;
	rc = gm_uffd_resolve(uffd, how, page, 4096, fill);
	if (!out->have_event) {
		out->have_event = 1;
		out->flags = m.flags;
		out->page = page;
		out->resolve = rc;
	}
	/* A failed answer leaves the access blocked: unregistering its page wakes it, and it finishes as without uffd. */
	if (rc < 0 || ++*events > 8) {
		gm_uffd_unregister(uffd, page, 4096);
		out->unreg_start = page;
		out->unreg_len = 4096;
	}
	return 1;
}

/*
 * A load/store that may block on a userfault: it runs on a helper thread while this thread reads
 * the fault and answers it with `how`, as a uffd monitor would. Every wait is bounded and sleeps in
 * poll(2): an error or a flood of unexpected reads stops the uffd being polled instead of spinning.
 * Nobody answering within the time limit: the whole range is unregistered and the access gets one
 * more (short) while. A thread still blocked after that is never detached: its page is made
 * PROT_NONE (so whenever it resumes it faults instead of storing into memory that may belong to
 * someone else by then), it is woken once more, and if it still has not ended it is handed back in
 * out->held for gm_reap_stuck().
 */
void gm_access_uffd(uint8_t *p, int store, uint8_t value, int uffd, int how, uint8_t fill, int timeout_ms,
		    uint64_t reg_start, uint64_t reg_len, struct gm_uffd_access *out)
{
	struct gm_worker *w = calloc(1, sizeof(*w));
	int polling = 1, events = 0, strays = 0;
	long deadline = gm_now_ms() + timeout_ms;
	memset(out, 0, sizeof(*out));
	if (w == NULL || (w->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
		out->failed = 1;
		free(w);
		return;
	}
	w->p = p;
	w->store = store;
	w->value = value;
	if (pthread_create(&w->thread, NULL, gm_worker_main, w) != 0) {
		close(w->done_fd);
		free(w);
		out->failed = 1;
		return;
	}
	while (!out->done) {
		struct pollfd fds[2] = { { w->done_fd, POLLIN, 0 }, { uffd, POLLIN, 0 } };
		int n;
		if (gm_now_ms() >= deadline) {
			if (out->timed_out)
				break;
			gm_uffd_unregister(uffd, reg_start, reg_len);
			out->unreg_start = reg_start;
			out->unreg_len = reg_len;
			out->timed_out = 1;
			polling = 0;
			deadline = gm_now_ms() + (timeout_ms < 1000 ? timeout_ms : 1000);
			continue;
		}
		n = poll(fds, polling ? 2 : 1, gm_left_ms(deadline));
		if (n < 0) {
			if (errno != EINTR)
				polling = 0; /* cannot poll the uffd: wait for the deadline on the completion alone */
			continue;
		}
		if (fds[0].revents & POLLIN) {
			out->done = 1;
		} else if (polling && n > 0) {
			if (fds[1].revents & (POLLERR | POLLHUP | POLLNVAL))
				polling = 0;
			else if ((fds[1].revents & POLLIN) && gm_serve_one(uffd, how, fill, &events, out) < 0 && ++strays > 64)
				polling = 0;
		}
	}
	if (!out->done) {
		uint64_t page = (uint64_t)(uintptr_t)p & ~4095ULL;
		struct uffdio_range r = { page, 4096 };
		mprotect((void *)(uintptr_t)page, 4096, PROT_NONE);
		ioctl(uffd, UFFDIO_WAKE, &r);
		out->prot_none = page;
		out->done = gm_wait_fd(w->done_fd, 100);
	}
	if (!out->done) {
		out->held = w;
		return;
	}
	pthread_join(w->thread, NULL);
	out->access = w->r;
	close(w->done_fd);
	free(w);
}

/* Waits up to wait_ms for a held helper thread; 1 once it has ended, was joined and freed. */
int gm_reap_stuck(struct gm_worker *w, int wait_ms)
{
	if (!gm_wait_fd(w->done_fd, wait_ms))
		return 0;
	pthread_join(w->thread, NULL);
	close(w->done_fd);
	free(w);
	return 1;
}
