// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one C source of syscall wrappers (see gm_sys.h), compiled into the addon and embedded in
 * every reproducer. Layout rule, because a reproducer embeds single items of this file: top-level
 * items are separated by one blank line and have none inside; a system #include names in its
 * comment the identifiers it is needed for. Each wrapper returns the kernel's answer: >= 0, or -errno.
 */
#include <errno.h>       /* errno */
#include <fcntl.h>       /* open fcntl memfd_create fallocate O_RDWR O_DIRECT O_TMPFILE O_PATH F_SETPIPE_SZ vmsplice splice tee SPLICE_F_NONBLOCK flock F_GETLK F_SETLK F_OFD_GETLK F_OFD_SETLK F_SETLEASE F_GETLEASE F_UNLCK F_DUPFD F_DUPFD_CLOEXEC O_CLOEXEC O_RDONLY AT_FDCWD AT_EMPTY_PATH */
#include <limits.h>      /* INT_MIN */
#include <linux/io_uring.h> /* io_uring_params io_uring_sqe io_uring_cqe IORING_REGISTER_BUFFERS IORING_OP_WRITE_FIXED IORING_OP_READ_FIXED IORING_OP_READV IORING_OP_WRITEV IORING_OP_READ IORING_OP_WRITE */
#include <poll.h>        /* poll pollfd POLLIN POLLOUT POLLPRI */
#include <pthread.h>     /* pthread_create */
#include <setjmp.h>      /* sigsetjmp siglongjmp */
#include <spawn.h>       /* posix_spawn */
#include <signal.h>      /* siginfo_t sigaction signal kill sigprocmask sigemptyset sigaddset SA_SIGINFO SIGKILL */
#include <stdint.h>      /* uint64_t */
#include <stdio.h>       /* snprintf sscanf */
#include <stdlib.h>      /* calloc malloc realloc free exit strtoull strtol */
#include <string.h>      /* memset memcpy strncmp strchr strlen strstr strcspn */
#include <sys/epoll.h>   /* epoll_create1 epoll_ctl epoll_event EPOLLIN EPOLL_CTL_ADD EPOLL_CLOEXEC */
#include <sys/eventfd.h> /* eventfd */
#include <sys/inotify.h> /* inotify_init1 inotify_add_watch inotify_event IN_MODIFY IN_ATTRIB IN_NONBLOCK IN_CLOEXEC */
#include <sys/ioctl.h>   /* ioctl */
#include <sys/select.h>  /* select fd_set FD_ZERO FD_SET FD_ISSET FD_SETSIZE timeval */
#include <sys/mman.h>    /* mmap munmap mprotect madvise mincore MAP_SHARED MAP_PRIVATE MFD_CLOEXEC */
#include <sys/sendfile.h> /* sendfile */
#include <sys/socket.h>  /* socketpair sendmsg recvmsg cmsghdr CMSG_FIRSTHDR CMSG_DATA CMSG_SPACE CMSG_LEN SCM_RIGHTS MSG_CMSG_CLOEXEC */
#include <sys/stat.h>    /* fstat stat */
#include <sys/syscall.h> /* syscall */
#include <sys/uio.h>     /* process_vm_readv process_vm_writev iovec */
#include <sys/vfs.h>     /* fstatfs statfs */
#include <sys/wait.h>    /* waitpid WIFEXITED WEXITSTATUS WNOHANG pid_t */
#include <time.h>        /* clock_gettime timespec CLOCK_MONOTONIC nanosleep */
#include <unistd.h>      /* close read write dup lseek getpid ftruncate pread pwrite pipe2 fsync fdatasync SEEK_SET environ dup3 unlink fork _exit readlink */
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

/* api 0: KVM_SET_MEMORY_ATTRIBUTES2; 1: KVM_GMEM_CONVERT_*. *error_offset goes in as the caller's error_offset and comes back ~0 when not reported. */
long gm_convert(int fd, int api, uint64_t offset, uint64_t len, int to_private, uint64_t *error_offset)
{
	/* error_offset goes in as the op says (errorOffsetIn; 0 as a VMM sends it): the conversion series
	 * input-checks it (non-zero is EINVAL, SHR-23), so no sentinel can go there. Coming back it is
	 * reported (else ~0) for an EAGAIN, whose offset it is (SHR-21), and wherever the kernel wrote
	 * something other than what went in (a write of the same value outside EAGAIN cannot be told
	 * from no write). */
	uint64_t in = *error_offset;
	struct kvm_memory_attributes2 a = { .offset = offset, .size = len, .error_offset = in };
	struct kvm_gmem_convert c = { .offset = offset, .size = len, .error_offset = in };
	uint64_t out;
	long rc;
	a.attributes = to_private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
	if (api == 0) rc = gm_rc(ioctl(fd, KVM_SET_MEMORY_ATTRIBUTES2, &a));
	else rc = gm_rc(ioctl(fd, to_private ? KVM_GMEM_CONVERT_PRIVATE : KVM_GMEM_CONVERT_SHARED, &c));
	out = api == 0 ? a.error_offset : c.error_offset;
	*error_offset = rc == -EAGAIN || out != in ? out : ~0ULL;
	return rc;
}

/* addon: preFault */
long gm_pre_fault(int vcpu_fd, uint64_t gpa, uint64_t size)
{
	struct kvm_pre_fault_memory p = { .gpa = gpa, .size = size };
	return gm_rc(ioctl(vcpu_fd, KVM_PRE_FAULT_MEMORY, &p));
}

/* An O_PATH descriptor of fd's file through /proc/self/fd (a memslot's guest_memfd field, SLOT-21): the fd, or -errno. (addon: openPath) */
long gm_open_path(int fd)
{
	char p[64];
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	return gm_rc(open(p, O_PATH | O_CLOEXEC));
}

/* The id is the ioctl's unsigned long argument, passed whole (ENV-11: bits 32..63 count). (addon: createVcpu) */
long gm_create_vcpu(int vm_fd, uint64_t vcpu_id) { return gm_rc(ioctl(vm_fd, KVM_CREATE_VCPU, (unsigned long)vcpu_id)); }

/* The KVM_CREATE_GUEST_MEMFD number with size field `size` (14 bits: larger is GM_BAD_ARG, nothing issued) on any fd. The argument is NULL, or (guard) a page this wrapper maps PROT_NONE and unmaps again: never an address of the caller's. A file the kernel creates anyway is closed at once. (addon: createGmemMisuse) */
long gm_create_gmem_misuse(int fd, uint32_t size, int guard)
{
	void *arg = NULL;
	long rc;
	if (size >= 1U << 14) return GM_BAD_ARG;
	if (guard) {
		arg = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (arg == MAP_FAILED) return GM_NO_SCRATCH;
	}
	rc = gm_rc(ioctl(fd, _IOC(_IOC_READ | _IOC_WRITE, 0xAE, 0xd4, size), arg));
	if (guard) munmap(arg, 4096);
	if (rc >= 0) close((int)rc);
	return rc >= 0 ? 0 : rc;
}

/* KVM_PRE_FAULT_MEMORY with every field; the range the kernel wrote back lands in *out_gpa, *out_size (also on failure: the ioctl copies it back). */
long gm_pre_fault_full(int vcpu_fd, uint64_t gpa, uint64_t size, uint64_t flags, const uint64_t *padding, int n_padding,
		       uint64_t *out_gpa, uint64_t *out_size)
{
	struct kvm_pre_fault_memory p = { .gpa = gpa, .size = size, .flags = flags };
	long rc;
	for (int i = 0; i < n_padding && i < 5; i++) p.padding[i] = padding[i];
	rc = gm_rc(ioctl(vcpu_fd, KVM_PRE_FAULT_MEMORY, &p));
	*out_gpa = p.gpa, *out_size = p.size;
	return rc;
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

/* lseek with the whence as the raw unsigned int the kernel compares (libc's lseek takes an int): 0 and the new offset in *pos, or -errno. The offset goes through *pos because a kernel may return a negative one that is not an errno (shmem SEEK_HOLE at the last page below 2^63 returns LLONG_MIN): only -1 with errno set is an error. */
long gm_lseek(int fd, int64_t offset, unsigned int whence, int64_t *pos)
{
	long r;
	errno = 0;
	r = syscall(SYS_lseek, fd, offset, whence);
	if (r == -1 && errno != 0) return -errno;
	*pos = r;
	return 0;
}

/* call: 0 readv, 1 writev, 2 preadv, 3 pwritev, 4 preadv2, 5 pwritev2 of buf[0, len) split over iovcnt vectors (the last takes the remainder); the raw syscalls, so offset -1 and every rwf bit reach the kernel as given. */
long gm_file_iov(int fd, int call, int64_t offset, uint8_t *buf, uint64_t len, int iovcnt, int rwf)
{
	struct iovec *iov = calloc(iovcnt > 0 ? (size_t)iovcnt : 1, sizeof(*iov));
	uint64_t part = iovcnt > 0 ? len / (uint64_t)iovcnt : 0;
	long rc;
	if (iov == NULL) return GM_NO_SCRATCH;
	for (int i = 0; i < iovcnt; i++) {
		iov[i].iov_base = buf + part * (uint64_t)i;
		iov[i].iov_len = i == iovcnt - 1 ? len - part * (uint64_t)i : part;
	}
	switch (call) {
	case 0: rc = syscall(SYS_readv, fd, iov, iovcnt); break;
	case 1: rc = syscall(SYS_writev, fd, iov, iovcnt); break;
	case 2: rc = syscall(SYS_preadv, fd, iov, iovcnt, (unsigned long)offset, 0UL); break;
	case 3: rc = syscall(SYS_pwritev, fd, iov, iovcnt, (unsigned long)offset, 0UL); break;
	case 4: rc = syscall(SYS_preadv2, fd, iov, iovcnt, (unsigned long)offset, 0UL, rwf); break;
	default: rc = syscall(SYS_pwritev2, fd, iov, iovcnt, (unsigned long)offset, 0UL, rwf); break;
	}
	rc = gm_rc(rc);
	free(iov);
	return rc;
}

/* call: 0 fsync, 1 fdatasync, 2 syncfs, 3 fchmod(mode), 4 fchown(-1, -1), 5 futimens(NULL), 6 fstatfs (st: f_type, f_bsize, f_namelen). */
long gm_fd_meta(int fd, int call, unsigned int mode, uint64_t *st)
{
	struct statfs s;
	switch (call) {
	case 0: return gm_rc(fsync(fd));
	case 1: return gm_rc(fdatasync(fd));
	case 2: return gm_rc(syscall(SYS_syncfs, fd));
	case 3: return gm_rc(syscall(SYS_fchmod, fd, mode));
	case 4: return gm_rc(syscall(SYS_fchown, fd, -1, -1));
	case 5: return gm_rc(syscall(SYS_utimensat, fd, NULL, NULL, 0));
	default:
		if (fstatfs(fd, &s) < 0) return -errno;
		st[0] = (uint32_t)s.f_type;
		st[1] = (uint64_t)s.f_bsize;
		st[2] = (uint64_t)s.f_namelen;
		return 0;
	}
}

/* fcntl(fd, cmd, arg) with the raw unsigned long. Locks (F_GETLK 5, F_SETLK 6, F_OFD_GETLK 36, F_OFD_SETLK 37) cover the whole file with l_type = (short)arg; *value is F_GETLK's l_type. F_SETLEASE (1024) is read back with F_GETLEASE into *value and released at once: a held lease would make a later open wait. Otherwise *value is the return value. */
long gm_fcntl(int fd, int cmd, uint64_t arg, long *value)
{
	struct flock fl = { .l_type = (short)arg, .l_whence = SEEK_SET };
	long rc;
	if (cmd == F_GETLK || cmd == F_SETLK || cmd == F_OFD_GETLK || cmd == F_OFD_SETLK) {
		rc = gm_rc(syscall(SYS_fcntl, fd, cmd, &fl));
		*value = cmd == F_GETLK || cmd == F_OFD_GETLK ? fl.l_type : rc;
		return rc;
	}
	rc = gm_rc(syscall(SYS_fcntl, fd, cmd, (unsigned long)arg));
	*value = rc;
	if (cmd == F_SETLEASE && rc == 0) {
		*value = syscall(SYS_fcntl, fd, F_GETLEASE);
		if (*value != F_UNLCK) syscall(SYS_fcntl, fd, F_SETLEASE, (unsigned long)F_UNLCK);
	}
	return rc;
}

/* A scratch memfd (on the internal tmpfs mount) holding len bytes of value, or GM_NO_SCRATCH. */
static long gm_scratch_memfd(uint64_t len, uint8_t value)
{
	long fd = memfd_create("gmemcheck-scratch", MFD_CLOEXEC);
	uint8_t chunk[4096];
	memset(chunk, value, sizeof(chunk));
	if (fd < 0) return GM_NO_SCRATCH;
	for (uint64_t at = 0; at < len;) {
		uint64_t n = len - at < sizeof(chunk) ? len - at : sizeof(chunk);
		long w = pwrite((int)fd, chunk, n, (off_t)at);
		if (w <= 0) { close((int)fd); return GM_NO_SCRATCH; }
		at += (uint64_t)w;
	}
	return fd;
}

/* call: 0 sendfile out of fd into a pipe, 1 splice out into a pipe, 2 copy_file_range out into an empty scratch memfd; 3 sendfile in from a scratch memfd holding len bytes of value, 4 splice in from a pipe holding them, 5 copy_file_range in from the scratch memfd; 6 tee(fd, pipe), 7 tee(pipe, fd) (the pipe empty); 8 vmsplice with fd as the pipe, one vector of len bytes of value (at most a page: the fd is never a pipe here, so the kernel looks only at whether the vector is empty). offset -1 passes NULL. The pipe is non-blocking and 1 MiB, so nothing can wait. len sizes the harness's own scratch file and pipe contents, so it is bounded here (the generated glue checks C types only): a call or len out of range is GM_BAD_ARG, issued nothing. (addon: spliceLike) */
long gm_splice_like(int fd, int call, int64_t offset, uint64_t len, unsigned int flags, uint8_t value)
{
	int p[2] = { -1, -1 };
	long scratch = -1, rc;
	off_t so = (off_t)offset, zero = 0;
	loff_t lo = offset, lz = 0;
	int null = offset == -1;
	if (call < 0 || call > 8 || len > GM_FD_IO_MAX) return GM_BAD_ARG;
	if (call <= 1 || call == 4 || call == 6 || call == 7) {
		if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0) return GM_NO_PIPE;
		if (fcntl(p[0], F_SETPIPE_SZ, 1 << 20) < 0) { close(p[0]); close(p[1]); return GM_NO_PIPE; }
	}
	if (call >= 2 && call != 4 && call <= 5) {
		scratch = gm_scratch_memfd(call == 2 ? 0 : len, value);
		if (scratch < 0) { if (p[0] >= 0) { close(p[0]); close(p[1]); } return GM_NO_SCRATCH; }
	}
	if (call == 4) {
		uint8_t chunk[4096];
		memset(chunk, value, sizeof(chunk));
		for (uint64_t at = 0; at < len;) {
			long w = write(p[1], chunk, len - at < sizeof(chunk) ? len - at : sizeof(chunk));
			if (w <= 0) { close(p[0]); close(p[1]); return GM_NO_PIPE; }
			at += (uint64_t)w;
		}
	}
	switch (call) {
	case 0: rc = gm_rc(sendfile(p[1], fd, null ? NULL : &so, len)); break;
	case 1: rc = gm_rc(splice(fd, null ? NULL : &lo, p[1], NULL, len, flags)); break;
	case 2: rc = gm_rc(syscall(SYS_copy_file_range, fd, null ? NULL : &lo, (int)scratch, &lz, len, flags)); break;
	case 3: rc = gm_rc(sendfile(fd, (int)scratch, &zero, len)); break;
	case 4: rc = gm_rc(splice(p[0], NULL, fd, null ? NULL : &lo, len, flags)); break;
	case 5: rc = gm_rc(syscall(SYS_copy_file_range, (int)scratch, &lz, fd, null ? NULL : &lo, len, flags)); break;
	case 6: rc = gm_rc(tee(fd, p[1], len, flags)); break;
	case 7: rc = gm_rc(tee(p[0], fd, len, flags)); break;
	default: {
		uint8_t chunk[GM_FD_IO_MAX > 4096 ? 4096 : GM_FD_IO_MAX];
		struct iovec iov = { chunk, len < sizeof(chunk) ? len : sizeof(chunk) };
		memset(chunk, value, sizeof(chunk));
		rc = gm_rc(vmsplice(fd, &iov, 1, flags));
		break;
	}
	}
	if (p[0] >= 0) { close(p[0]); close(p[1]); }
	if (scratch >= 0) close((int)scratch);
	return rc;
}

/* Sends fd over an AF_UNIX socketpair (SCM_RIGHTS) and receives it back (MSG_CMSG_CLOEXEC when cloexec is nonzero): the new fd, -errno of sendmsg (e.g. EBADF), or GM_NO_SCRATCH when the harness's socket path failed. (addon: passFd) */
long gm_pass_fd(int fd, int cloexec)
{
	int sv[2], got = -1;
	char byte = 0, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec io = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	long rc;
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0) return GM_NO_SCRATCH;
	memset(cbuf, 0, sizeof(cbuf));
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	rc = gm_rc(sendmsg(sv[0], &m, MSG_DONTWAIT));
	if (rc >= 0) {
		m.msg_controllen = sizeof(cbuf);
		rc = recvmsg(sv[1], &m, MSG_DONTWAIT | (cloexec ? MSG_CMSG_CLOEXEC : 0));
		c = CMSG_FIRSTHDR(&m);
		if (rc >= 0 && c != NULL && c->cmsg_type == SCM_RIGHTS) memcpy(&got, CMSG_DATA(c), sizeof(int));
		rc = got >= 0 ? got : GM_NO_SCRATCH;
	}
	close(sv[0]);
	close(sv[1]);
	return rc;
}

/* how: 0/1/2 open /proc/self/fd/N with O_RDONLY/O_RDWR/O_PATH (closed again at once; O_NONBLOCK so a lease break never waits): 0 or -errno; 3 spawn /bin/sh asking whether fd N is open after exec: 1 open, 0 closed, GM_NO_SCRATCH if the shell could not run; another how is GM_BAD_ARG (it indexes a table). (addon: fdReach) */
long gm_fd_reach(int fd, int how)
{
	static const int modes[3] = { O_RDONLY, O_RDWR, O_PATH };
	char path[64], script[96];
	char *argv[4] = { "sh", "-c", script, NULL };
	extern char **environ;
	int status;
	pid_t pid;
	long rc;
	if (how < 0 || how > 3) return GM_BAD_ARG;
	if (how < 3) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		rc = gm_rc(open(path, modes[how] | O_CLOEXEC | O_NONBLOCK));
		if (rc >= 0) { close((int)rc); rc = 0; }
		return rc;
	}
	snprintf(script, sizeof(script), "[ -e /proc/self/fd/%d ]", fd);
	if (posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ) != 0) return GM_NO_SCRATCH;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) > 1) return GM_NO_SCRATCH;
	return WEXITSTATUS(status) == 0;
}

/* how: 0/1 dup3(fd, n, 0 or O_CLOEXEC) onto n, a free number reserved by opening /dev/null (closed again if dup3 fails); 2/3 fcntl F_DUPFD / F_DUPFD_CLOEXEC from 0; 4 pidfd_getfd(pidfd_open(getpid(), 0), fd, 0), the pidfd closed again. The new fd or -errno; GM_NO_SCRATCH when /dev/null or the pidfd could not be opened; another how is GM_BAD_ARG. (addon: fdDup) */
long gm_fd_dup(int fd, int how)
{
	long n, rc;
	if (how < 0 || how > 4) return GM_BAD_ARG;
	if (how == 2 || how == 3) return gm_rc(syscall(SYS_fcntl, fd, how == 2 ? F_DUPFD : F_DUPFD_CLOEXEC, 0L));
	if (how == 4) {
		n = syscall(SYS_pidfd_open, (long)getpid(), 0L);
		if (n < 0) return GM_NO_SCRATCH;
		rc = gm_rc(syscall(SYS_pidfd_getfd, n, (long)fd, 0L));
		close((int)n);
		return rc;
	}
	n = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (n < 0) return GM_NO_SCRATCH;
	rc = gm_rc(dup3(fd, (int)n, how == 1 ? O_CLOEXEC : 0));
	if (rc < 0) close((int)n);
	return rc;
}

/* req -1 is close_range(fd, fd, CLOSE_RANGE_CLOEXEC (4)) — only the handle's own fd; fd -1 is ~0U, a range holding no descriptor. Any other req is an ioctl number, sent as the unsigned int cmd, with a pointer to 256 zeroed bytes (room for every struct the numbers name) whose first int is arg, except FS_IOC_SETFLAGS (0x40086602) and FS_IOC_FSSETXATTR (0x401c5820), which write zero flags. *value is what the call wrote: the loff_t of FIOQSIZE (0x5460), the length byte of FS_IOC_GETFSUUID (0x80111500) and FS_IOC_GETFSSYSFSPATH (0x80811501), 0 for the calls that write nothing (FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC and the two setters), else the int at the start (FIGETBSZ, FIONREAD, FIBMAP, GETFLAGS, fsx_xflags of FSGETXATTR). A req below -1 or above 2^32 - 1 is GM_BAD_ARG. */
long gm_fd_ioctl(int fd, int64_t req, uint32_t arg, int64_t *value)
{
	union { int i; uint32_t u; int64_t q; uint8_t b[256]; } buf;
	unsigned int cmd = (unsigned int)req;
	long rc;
	*value = 0;
	if (req < -1 || req > 0xffffffffLL) return GM_BAD_ARG;
	if (req == -1) return gm_rc(syscall(SYS_close_range, (unsigned long)(unsigned int)fd, (unsigned long)(unsigned int)fd, 4UL));
	memset(&buf, 0, sizeof(buf));
	if (cmd != 0x40086602u && cmd != 0x401c5820u) buf.u = arg;
	rc = gm_rc(syscall(SYS_ioctl, fd, (unsigned long)cmd, &buf));
	if (rc < 0) return rc;
	if (cmd == 0x5460u) *value = buf.q;
	else if (cmd == 0x80111500u || cmd == 0x80811501u) *value = buf.b[0];
	else if (cmd == 0x5451u || cmd == 0x5450u || cmd == 0x5421u || cmd == 0x5452u || cmd == 0x40086602u || cmd == 0x401c5820u) *value = 0;
	else *value = buf.i;
	return rc;
}

/* call: 0 posix_fadvise(fd, offset, len, word) through the raw fadvise64 syscall (so the answer is an errno, as for the others); 1 readahead(fd, offset, (size_t)len); 2 sync_file_range(fd, offset, len, word). 0 or -errno; another call is GM_BAD_ARG. (addon: fdAdvise) */
long gm_fd_advise(int fd, int call, int64_t offset, int64_t len, unsigned int word)
{
	switch (call) {
	case 0: return gm_rc(syscall(SYS_fadvise64, fd, (long)offset, (long)len, (long)(int)word));
	case 1: return gm_rc(syscall(SYS_readahead, fd, (long)offset, (unsigned long)len));
	case 2: return gm_rc(syscall(SYS_sync_file_range, fd, (long)offset, (long)len, (unsigned long)word));
	default: return GM_BAD_ARG;
	}
}

/* how: 0 poll(POLLIN|POLLOUT|POLLPRI, timeout 0): the revents (a negative fd is skipped: 0); 1 select with the fd in the read, write and except sets, timeout 0: 1 readable | 2 writable | 4 exceptional (a negative fd is issued with empty sets, as poll skips it); 2 epoll_ctl(ADD, EPOLLIN) on a new epoll instance, closed again: 0 or -errno. Nothing waits. A fd at or past FD_SETSIZE for select, another how, or no epoll instance is a harness code. (addon: fdPoll) */
long gm_fd_poll(int fd, int how)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT | POLLPRI };
	struct epoll_event ev = { .events = EPOLLIN };
	fd_set sets[3];
	struct timeval tv = { 0, 0 };
	long rc, ep;
	int i;
	if (how == 0) {
		rc = gm_rc(poll(&p, 1, 0));
		return rc < 0 ? rc : p.revents;
	}
	if (how == 1) {
		if (fd >= FD_SETSIZE) return GM_BAD_ARG;
		for (i = 0; i < 3; i++) {
			FD_ZERO(&sets[i]);
			if (fd >= 0) FD_SET(fd, &sets[i]);
		}
		rc = gm_rc(select(fd >= 0 ? fd + 1 : 0, &sets[0], &sets[1], &sets[2], &tv));
		if (rc < 0 || fd < 0) return rc;
		return (FD_ISSET(fd, &sets[0]) ? 1 : 0) | (FD_ISSET(fd, &sets[1]) ? 2 : 0) | (FD_ISSET(fd, &sets[2]) ? 4 : 0);
	}
	if (how != 2) return GM_BAD_ARG;
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) return GM_NO_SCRATCH;
	rc = gm_rc(epoll_ctl((int)ep, EPOLL_CTL_ADD, fd, &ev));
	close((int)ep);
	return rc;
}

/* call: 0 truncate("/proc/self/fd/N", arg), 1 chmod(path, arg), 2 chown(path, -1, -1), 3 utimensat(AT_FDCWD, path, NULL, 0), 4 linkat(fd, "", AT_FDCWD, "/tmp/gmemcheck-link-<pid>-<fd>-<ns>", AT_EMPTY_PATH) (the name removed again if the link was made); 5..11 through an O_PATH descriptor of the path, closed again: fstat, fstatfs, ftruncate(arg), fallocate(0, 0, 4096), mmap of one page shared (unmapped again), ioctl(FIGETBSZ), fchmod(arg). 0 or -errno (the O_PATH open's own errno if it fails); another call is GM_BAD_ARG. (addon: pathCall) */
long gm_path_call(int fd, int call, int64_t arg)
{
	char path[64], name[96];
	struct stat st;
	struct statfs sf;
	struct timespec ts;
	long rc, o;
	void *m;
	int bsz = 0;
	if (call < 0 || call > 11) return GM_BAD_ARG;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	switch (call) {
	case 0: return gm_rc(syscall(SYS_truncate, path, (long)arg));
	case 1: return gm_rc(syscall(SYS_chmod, path, (unsigned long)(uint32_t)arg));
	case 2: return gm_rc(syscall(SYS_chown, path, -1L, -1L));
	case 3: return gm_rc(syscall(SYS_utimensat, AT_FDCWD, path, NULL, 0L));
	case 4:
		clock_gettime(CLOCK_MONOTONIC, &ts);
		snprintf(name, sizeof(name), "/tmp/gmemcheck-link-%d-%d-%ld", (int)getpid(), fd, (long)ts.tv_nsec);
		rc = gm_rc(syscall(SYS_linkat, fd, "", AT_FDCWD, name, AT_EMPTY_PATH));
		if (rc == 0) unlink(name);
		return rc;
	default: break;
	}
	o = gm_rc(open(path, O_PATH | O_CLOEXEC));
	if (o < 0) return o;
	switch (call) {
	case 5: rc = gm_rc(fstat((int)o, &st)); break;
	case 6: rc = gm_rc(fstatfs((int)o, &sf)); break;
	case 7: rc = gm_rc(syscall(SYS_ftruncate, o, (long)arg)); break;
	case 8: rc = gm_rc(syscall(SYS_fallocate, o, 0L, 0L, 4096L)); break;
	case 9:
		m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, (int)o, 0);
		rc = m == MAP_FAILED ? -errno : 0;
		if (m != MAP_FAILED) munmap(m, 4096);
		break;
	case 10: rc = gm_rc(syscall(SYS_ioctl, o, 2UL, &bsz)); break;
	default: rc = gm_rc(syscall(SYS_fchmod, o, (unsigned long)(uint32_t)arg)); break;
	}
	close((int)o);
	return rc;
}

/* The kernel picks the address (never MAP_FIXED). The raw syscall: prot is an unsigned long (libc's mmap takes an int). */
long gm_mmap(int fd, int64_t offset, uint64_t length, uint64_t prot, int shared, uint64_t *addr)
{
	long p = syscall(SYS_mmap, 0UL, length, prot, (unsigned long)(shared ? MAP_SHARED : MAP_PRIVATE), (long)fd, offset);
	*addr = p == -1 ? 0 : (uint64_t)p;
	return p == -1 ? -errno : 0;
}

/*
 * mmap with the whole flags word as the unsigned long the kernel receives, at `at` (a hint
 * unless the flags say MAP_FIXED). The caller decides the address and has checked that a MAP_FIXED there covers only memory it mapped
 * (adapters/native/_internals/ops-mapex.ts; the reproducer's op_mmapEx).
 */
long gm_mmap_ex(int fd, int64_t offset, uint64_t length, uint64_t prot, uint64_t flags, uint64_t at, uint64_t *addr)
{
	long p = syscall(SYS_mmap, at, length, prot, flags, (long)fd, offset);
	*addr = p == -1 ? 0 : (uint64_t)p;
	return p == -1 ? -errno : 0;
}

/* addon: munmap */
long gm_munmap(uint64_t addr, uint64_t len) { return gm_rc(munmap((void *)(uintptr_t)addr, len)); }

/* The raw syscall: prot is an unsigned long (libc's mprotect takes an int). (addon: mprotect) */
long gm_mprotect(uint64_t addr, uint64_t len, uint64_t prot) { return gm_rc(syscall(SYS_mprotect, addr, len, prot)); }

/* addon: madvise */
long gm_madvise(uint64_t addr, uint64_t len, int advice) { return gm_rc(madvise((void *)(uintptr_t)addr, len, advice)); }

/* mlock(2) (call 0), mlock2(2) with flags (call 1), munlock(2) (call 2), as raw syscalls: the flags reach the kernel as given. (addon: mlock) */
long gm_mlock(uint64_t addr, uint64_t len, int call, unsigned flags)
{
	if (call == 1) return gm_rc(syscall(SYS_mlock2, addr, len, flags));
	return gm_rc(syscall(call == 2 ? SYS_munlock : SYS_mlock, addr, len));
}

/* addon: msync */
long gm_msync(uint64_t addr, uint64_t len, int flags) { return gm_rc(syscall(SYS_msync, addr, len, flags)); }

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

/* Node masks are one unsigned long (maxnode 64: the kernel reads its low 63 bits); mode is the syscall's unsigned long. (addon: mbind) */
long gm_mbind(uint64_t addr, uint64_t len, uint64_t mode, unsigned long nodes, unsigned flags)
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
/* Every uffd also reports the faulting thread (UFFD_FEATURE_THREAD_ID: only the message changes), so a parallel monitor tells concurrent faults apart. */
long gm_uffd_create(uint64_t features)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features | UFFD_FEATURE_THREAD_ID };
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

/* /proc/self/mem at addr: the kernel reaches our own memory through GUP with FOLL_FORCE (fs/proc/base.c mem_rw). */
long gm_proc_mem(uint64_t addr, uint8_t *buf, uint64_t len, int write)
{
	int fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	long rc;
	if (fd < 0) return -errno;
	rc = gm_rc(write ? pwrite(fd, buf, len, (off_t)addr) : pread(fd, buf, len, (off_t)addr));
	close(fd);
	return rc;
}

/* process_vm_readv/writev on our own pid with the local iovec at addr: the kernel copies with copy_to/from_user. */
long gm_pvm_local(uint64_t addr, uint8_t *buf, uint64_t len, int into)
{
	struct iovec local = { (void *)(uintptr_t)addr, len }, remote = { buf, len };
	return gm_rc(into ? process_vm_readv(getpid(), &local, 1, &remote, 1, 0) : process_vm_writev(getpid(), &local, 1, &remote, 1, 0));
}

/* A non-blocking pipe with room for `pages` page-sized buffers (F_SETPIPE_SZ above the default 16, at most 1 MiB); GM_NO_PIPE if none. */
static long gm_pipe(int p[2], uint64_t pages)
{
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0) return GM_NO_PIPE;
	if (pages <= 16 || fcntl(p[0], F_SETPIPE_SZ, 1 << 20) >= 0) return 0;
	close(p[0]), close(p[1]);
	return GM_NO_PIPE;
}

/* vmsplice [addr, addr+len) into a pipe (page references taken by GUP, fs/splice.c); the first byte is read back from the pipe. */
long gm_vmsplice(uint64_t addr, uint64_t len, int *first)
{
	struct iovec iov = { (void *)(uintptr_t)addr, len };
	int p[2];
	uint8_t b;
	long rc = gm_pipe(p, ((addr & 4095) + len + 4095) / 4096);
	if (rc < 0) return rc;
	rc = gm_rc(vmsplice(p[1], &iov, 1, SPLICE_F_NONBLOCK));
	*first = rc > 0 && read(p[0], &b, 1) == 1 ? b : -1;
	close(p[0]), close(p[1]);
	return rc;
}

/*
 * A user copy through a pipe (fs/pipe.c), which counts whole 4096-byte buffers of the transfer:
 * into memory, len bytes of value are written to a pipe and read into [addr, addr+len); out of it,
 * [addr, addr+len) is written to a pipe (first: its first byte, read back). Only the first `own`
 * bytes belong to the mapping under test: where own < len the copy stops at that hole as at any
 * unmapped gap, so the counted buffers are copied by one call and the rest of the failing buffer
 * (which the kernel copies without counting it) by a second call whose count is dropped.
 */
long gm_pipe_copy(uint64_t addr, uint64_t len, uint64_t own, int into, uint8_t value, int *first)
{
	uint64_t whole = own == len ? len : own & ~4095ULL;
	size_t mapped;
	int p[2];
	uint8_t *buf, b;
	long rc = gm_pipe(p, (len + 4095) / 4096 + 1);
	*first = -1;
	if (rc < 0) return rc;
	if ((buf = gm_buf_take(len, value, &mapped)) == NULL) { close(p[0]), close(p[1]); return GM_NO_PIPE; }
	if (into && write(p[1], buf, len) != (ssize_t)len) rc = GM_NO_PIPE;
	else if (into) {
		rc = whole > 0 ? gm_rc(read(p[0], (void *)(uintptr_t)addr, whole)) : 0;
		if (own > whole && rc == (long)whole) (void)!read(p[0], (void *)(uintptr_t)(addr + whole), own - whole);
		*first = rc > 0 ? value : -1;
	} else {
		rc = whole > 0 ? gm_rc(write(p[1], (void *)(uintptr_t)addr, whole)) : 0;
		if (own > whole && rc == (long)whole) (void)!write(p[1], (void *)(uintptr_t)(addr + whole), own - whole);
		*first = rc > 0 && read(p[0], &b, 1) == 1 ? b : -1;
	}
	if (rc == 0 && whole == 0) rc = -EFAULT; /* the first buffer runs into the hole: nothing counted */
	gm_buf_give(buf, mapped);
	close(p[0]), close(p[1]);
	return rc;
}

/*
 * One kernel-side access (KERNEL_ACCESS_CALL, spec/vocab/ops.ts) of len bytes at addr, of which the
 * first `own` belong to the mapping under test; data moved into memory is value in every byte.
 * 0/1 process_vm_readv/writev (remote side: GUP), 2/3 /proc/self/mem, 4 vmsplice, 5/6 read from /
 * write to a pipe, 7/8 process_vm_readv/writev with the local side at addr. Byte-counting paths act
 * on [addr, addr+own) (they stop at the hole as at any gap); pipes count buffers (gm_pipe_copy).
 * Returns the count or -errno (GM_NO_PIPE: no pipe of that size), and the first byte moved or -1.
 */
long gm_kernel_access_call(int call, uint64_t addr, uint64_t len, uint64_t own, uint8_t value, int *first)
{
	int into = call == 1 || call == 3 || call == 7;
	size_t mapped;
	uint8_t *buf;
	long rc;
	*first = -1;
	if (call == 4) return gm_vmsplice(addr, own, first);
	if (call == 5 || call == 6) return gm_pipe_copy(addr, len, own, call == 5, value, first);
	if ((buf = gm_buf_take(own, into ? value : 0, &mapped)) == NULL) return -ENOMEM;
	if (call <= 1) rc = gm_kernel_access(addr, buf, own, into);
	else if (call <= 3) rc = gm_proc_mem(addr, buf, own, into);
	else rc = gm_pvm_local(addr, buf, own, into);
	*first = rc <= 0 ? -1 : into ? value : buf[0];
	gm_buf_give(buf, mapped);
	return rc;
}

/* The io_uring rings pins made: fd + 1 (0: a free entry) and what io_uring_setup returned (the ring offsets). */
static struct gm_ring { int fd1; struct io_uring_params p; } gm_rings[64];

/*
 * A pin by io_uring (MAP-36): a new two-entry ring with [addr, addr+len) registered as its one
 * fixed buffer (IORING_REGISTER_BUFFERS: FOLL_WRITE|FOLL_LONGTERM). The ring fd, or the kernel's
 * -errno (the ring closed again); GM_NO_RING if no ring could be set up or 64 are in use.
 */
static long gm_uring_pin_here(uint64_t addr, uint64_t len)
{
	struct iovec iov = { (void *)(uintptr_t)addr, len };
	struct io_uring_params p;
	int slot = -1;
	long fd, rc;
	for (int i = 0; i < 64 && slot < 0; i++) if (gm_rings[i].fd1 == 0) slot = i;
	if (slot < 0) return GM_NO_RING;
	memset(&p, 0, sizeof(p));
	if ((fd = syscall(SYS_io_uring_setup, 2, &p)) < 0) return GM_NO_RING;
	rc = gm_rc(syscall(SYS_io_uring_register, (int)fd, IORING_REGISTER_BUFFERS, &iov, 1));
	if (rc < 0) { close((int)fd); return rc; }
	gm_rings[slot].fd1 = (int)fd + 1, gm_rings[slot].p = p;
	return fd;
}

/*
 * Reading through an io_uring pin: IORING_OP_WRITE_FIXED of [addr, addr+len) of the ring's
 * registered buffer into a scratch memfd at offset 0. The completion's result (count or -errno),
 * and the first byte written, read back from the memfd (or -1). A ring no pin made (a dead handle,
 * -1) goes to io_uring_enter as is: EBADF. GM_NO_RING if the ring's memory cannot be mapped.
 */
static long gm_uring_read_here(int ring, uint64_t addr, uint64_t len, int *first)
{
	struct io_uring_params *p = NULL;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqe;
	uint8_t *sq, *cq, b;
	size_t sq_len, cq_len;
	unsigned tail, head, idx;
	long rc;
	int scratch;
	*first = -1;
	for (int i = 0; i < 64 && ring >= 0; i++) if (gm_rings[i].fd1 == ring + 1) p = &gm_rings[i].p;
	if (p == NULL) return gm_rc(syscall(SYS_io_uring_enter, ring, 0, 0, 0, NULL, 0));
	sq_len = p->sq_off.array + p->sq_entries * sizeof(unsigned);
	cq_len = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	if (p->features & IORING_FEAT_SINGLE_MMAP) sq_len = cq_len = sq_len > cq_len ? sq_len : cq_len;
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQ_RING);
	cq = p->features & IORING_FEAT_SINGLE_MMAP ? sq : mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p->sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
	scratch = memfd_create("gm-uring", MFD_CLOEXEC);
	rc = GM_NO_RING;
	if (sq != MAP_FAILED && cq != MAP_FAILED && sqes != MAP_FAILED && scratch >= 0) {
		tail = *(unsigned *)(sq + p->sq_off.tail);
		idx = tail & *(unsigned *)(sq + p->sq_off.ring_mask);
		memset(&sqes[idx], 0, sizeof(sqes[idx]));
		sqes[idx].opcode = IORING_OP_WRITE_FIXED, sqes[idx].fd = scratch, sqes[idx].addr = addr, sqes[idx].len = (uint32_t)len;
		((unsigned *)(sq + p->sq_off.array))[idx] = idx;
		__atomic_store_n((unsigned *)(sq + p->sq_off.tail), tail + 1, __ATOMIC_RELEASE);
		if (syscall(SYS_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) == 1) {
			head = __atomic_load_n((unsigned *)(cq + p->cq_off.head), __ATOMIC_ACQUIRE);
			cqe = (struct io_uring_cqe *)(cq + p->cq_off.cqes) + (head & *(unsigned *)(cq + p->cq_off.ring_mask));
			rc = cqe->res;
			__atomic_store_n((unsigned *)(cq + p->cq_off.head), head + 1, __ATOMIC_RELEASE);
		}
		if (rc > 0 && pread(scratch, &b, 1, 0) == 1) *first = b;
	}
	if (scratch >= 0) close(scratch);
	if (sqes != MAP_FAILED) munmap(sqes, p->sq_entries * sizeof(*sqes));
	if (cq != MAP_FAILED && cq != sq) munmap(cq, cq_len);
	if (sq != MAP_FAILED) munmap(sq, sq_len);
	return rc;
}

/* Dropping an io_uring pin: IORING_UNREGISTER_BUFFERS (synchronous: the pages are unpinned when it returns), then close. */
static long gm_uring_unpin_here(int ring)
{
	for (int i = 0; i < 64 && ring >= 0; i++) if (gm_rings[i].fd1 == ring + 1) gm_rings[i].fd1 = 0;
	if (ring >= 0) (void)syscall(SYS_io_uring_register, ring, IORING_UNREGISTER_BUFFERS, NULL, 0);
	return gm_rc(close(ring));
}

/*
 * Every io_uring call runs on a thread of its own that exits when the call returns. Tearing a ring
 * down queues task work (TWA_SIGNAL, io_uring/io_uring.c io_ring_exit_work → io_tctx_exit_cb) on
 * every task that ever entered the ring; on the calling thread that work counts as a pending
 * signal and makes an unrelated later call fail with EINTR (KVM_CREATE_VM: mm/mmap.c
 * mm_take_all_locks, measured on 6.18.44). A task that exited has left every ring's task list, so
 * nothing is queued on the caller.
 */
struct gm_uring_call { int what, ring, first; uint64_t addr, len; long rc; };

static void *gm_uring_main(void *arg)
{
	struct gm_uring_call *c = arg;
	if (c->what == 0) c->rc = gm_uring_pin_here(c->addr, c->len);
	else if (c->what == 1) c->rc = gm_uring_read_here(c->ring, c->addr, c->len, &c->first);
	else c->rc = gm_uring_unpin_here(c->ring);
	return NULL;
}

static long gm_uring_call(struct gm_uring_call *c)
{
	pthread_t t;
	if (pthread_create(&t, NULL, gm_uring_main, c) != 0) return GM_NO_RING;
	pthread_join(t, NULL);
	return c->rc;
}

long gm_uring_pin(uint64_t addr, uint64_t len)
{
	struct gm_uring_call c = { .what = 0, .addr = addr, .len = len };
	return gm_uring_call(&c);
}

long gm_uring_read(int ring, uint64_t addr, uint64_t len, int *first)
{
	struct gm_uring_call c = { .what = 1, .ring = ring, .first = -1, .addr = addr, .len = len };
	long rc = gm_uring_call(&c);
	*first = c.first;
	return rc;
}

long gm_uring_unpin(int ring)
{
	struct gm_uring_call c = { .what = 2, .ring = ring };
	return gm_uring_call(&c);
}

/* One io_uring read or write on fd, on the calling thread (see gm_fd_uring): a fresh two-entry ring, a buffer of len bytes (value in every byte for writes; registered for the _FIXED opcodes; one iovec for READV/WRITEV), one SQE with off and rw_flags as given, the completion's result. GM_NO_RING if the ring, its memory or the buffer cannot be had. */
static long gm_fd_uring_here(int fd, int opcode, int64_t offset, uint64_t len, int rwf, uint8_t value)
{
	struct io_uring_params p;
	struct io_uring_sqe *sqes = MAP_FAILED;
	struct io_uring_cqe *cqe;
	uint8_t *sq = MAP_FAILED, *cq = MAP_FAILED, *buf;
	size_t sq_len, cq_len, buf_len = len ? len : 1;
	struct iovec iov;
	unsigned tail, head, idx;
	long rc = GM_NO_RING, ring;
	memset(&p, 0, sizeof(p));
	buf = mmap(NULL, buf_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) return GM_NO_RING;
	memset(buf, opcode == IORING_OP_WRITE || opcode == IORING_OP_WRITEV || opcode == IORING_OP_WRITE_FIXED ? value : 0, buf_len);
	iov.iov_base = buf, iov.iov_len = len;
	ring = syscall(SYS_io_uring_setup, 2, &p);
	if (ring < 0) { munmap(buf, buf_len); return GM_NO_RING; }
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP) sq_len = cq_len = sq_len > cq_len ? sq_len : cq_len;
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, (int)ring, IORING_OFF_SQ_RING);
	cq = p.features & IORING_FEAT_SINGLE_MMAP ? sq : mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, (int)ring, IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, (int)ring, IORING_OFF_SQES);
	if (sq != MAP_FAILED && cq != MAP_FAILED && sqes != MAP_FAILED &&
	    ((opcode != IORING_OP_READ_FIXED && opcode != IORING_OP_WRITE_FIXED) || syscall(SYS_io_uring_register, (int)ring, IORING_REGISTER_BUFFERS, &(struct iovec){ buf, buf_len }, 1) == 0)) {
		tail = *(unsigned *)(sq + p.sq_off.tail);
		idx = tail & *(unsigned *)(sq + p.sq_off.ring_mask);
		memset(&sqes[idx], 0, sizeof(sqes[idx]));
		sqes[idx].opcode = (uint8_t)opcode, sqes[idx].fd = fd, sqes[idx].off = (uint64_t)offset, sqes[idx].rw_flags = rwf;
		if (opcode == IORING_OP_READV || opcode == IORING_OP_WRITEV) sqes[idx].addr = (uint64_t)(uintptr_t)&iov, sqes[idx].len = 1;
		else sqes[idx].addr = (uint64_t)(uintptr_t)buf, sqes[idx].len = (uint32_t)len;
		((unsigned *)(sq + p.sq_off.array))[idx] = idx;
		__atomic_store_n((unsigned *)(sq + p.sq_off.tail), tail + 1, __ATOMIC_RELEASE);
		if (syscall(SYS_io_uring_enter, (int)ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) == 1) {
			head = __atomic_load_n((unsigned *)(cq + p.cq_off.head), __ATOMIC_ACQUIRE);
			cqe = (struct io_uring_cqe *)(cq + p.cq_off.cqes) + (head & *(unsigned *)(cq + p.cq_off.ring_mask));
			rc = cqe->res;
			__atomic_store_n((unsigned *)(cq + p.cq_off.head), head + 1, __ATOMIC_RELEASE);
		}
	}
	if (sqes != MAP_FAILED) munmap(sqes, p.sq_entries * sizeof(*sqes));
	if (cq != MAP_FAILED && cq != sq) munmap(cq, cq_len);
	if (sq != MAP_FAILED) munmap(sq, sq_len);
	close((int)ring);
	munmap(buf, buf_len);
	return rc;
}

struct gm_fd_uring_args { int fd, opcode, rwf; int64_t offset; uint64_t len; uint8_t value; long rc; };

static void *gm_fd_uring_main(void *arg)
{
	struct gm_fd_uring_args *a = arg;
	a->rc = gm_fd_uring_here(a->fd, a->opcode, a->offset, a->len, a->rwf, a->value);
	return NULL;
}

/* io_uring opcode READV 1, WRITEV 2, READ_FIXED 4, WRITE_FIXED 5, READ 22 or WRITE 23 on fd, on a short-lived thread of its own (a ring's teardown queues task work on every task that entered it: see gm_uring_call). The completion's result: a count or -errno; GM_NO_RING if no ring could be had; another opcode or a len above GM_FD_IO_MAX is GM_BAD_ARG. (addon: fdUring) */
long gm_fd_uring(int fd, int opcode, int64_t offset, uint64_t len, int rwf, uint8_t value)
{
	struct gm_fd_uring_args a = { .fd = fd, .opcode = opcode, .rwf = rwf, .offset = offset, .len = len, .value = value, .rc = GM_NO_RING };
	pthread_t t;
	if ((opcode != 1 && opcode != 2 && opcode != 4 && opcode != 5 && opcode != 22 && opcode != 23) || len > GM_FD_IO_MAX) return GM_BAD_ARG;
	if (pthread_create(&t, NULL, gm_fd_uring_main, &a) != 0) return GM_NO_RING;
	pthread_join(t, NULL);
	return a.rc;
}

/* A pin by vmsplice (MAP-33): [addr, addr+len) spliced into a new non-blocking pipe with room for the pages it spans (at most 1 MiB), kept open in fds. The count, or -errno (the pipe closed); GM_NO_PIPE if no pipe. */
long gm_splice_pin(uint64_t addr, uint64_t len, int *fds)
{
	struct iovec iov = { (void *)(uintptr_t)addr, len };
	long rc = gm_pipe(fds, len >= 1ULL << 32 ? 256 : ((addr & 4095) + len + 4095) / 4096);
	if (rc < 0) return rc;
	rc = gm_rc(vmsplice(fds[1], &iov, 1, SPLICE_F_NONBLOCK));
	if (rc < 0) close(fds[0]), close(fds[1]);
	return rc;
}

/* Reading a pin's pipe: read(2) of len bytes, or pread(2) at a non-zero offset (a pipe has no position: ESPIPE). The count or -errno, and the first byte read or -1. */
long gm_pipe_read(int fd, uint64_t offset, uint64_t len, int *first)
{
	size_t mapped;
	uint8_t *buf;
	long rc;
	*first = -1;
	if ((buf = gm_buf_take(len > 0 ? len : 1, 0, &mapped)) == NULL) return -ENOMEM;
	rc = gm_rc(offset == 0 ? read(fd, buf, len) : pread(fd, buf, len, (off_t)offset));
	if (rc > 0) *first = buf[0];
	gm_buf_give(buf, mapped);
	return rc;
}

/* futex(2) on the word at addr; the waits carry a zero relative timeout, so a matching word answers ETIMEDOUT at once. */
long gm_futex(uint64_t addr, int op, uint32_t val)
{
	struct timespec zero = { 0, 0 };
	return gm_rc(syscall(SYS_futex, addr, op, val, &zero, NULL, 0));
}

/*
 * An unlinked scratch file for O_DIRECT in dir (O_TMPFILE): 2 MiB written in full, so that every
 * transfer (at most 1 MiB, at offset 0) lies in one written extent. iomap checks alignment per
 * extent, and treats holes and extending writes another way: a sparse file would make the answer
 * depend on what earlier ops wrote. -errno if dir has none or refuses O_DIRECT.
 */
long gm_dio_scratch(const char *dir)
{
	long fd = gm_rc(open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)), e = 0;
	size_t mapped;
	uint8_t *zero;
	if (fd < 0) return fd;
	for (int i = 0; i < 32 && e == 0; i++) {
		if ((zero = gm_buf_take(64 << 10, 0, &mapped)) == NULL) e = -ENOMEM;
		else if (pwrite((int)fd, zero, 64 << 10, (off_t)i << 16) != 64 << 10) e = -EIO;
		if (zero != NULL) gm_buf_give(zero, mapped);
	}
	if (e == 0 && (fdatasync((int)fd) < 0 || fcntl((int)fd, F_SETFL, O_DIRECT) < 0)) e = -errno;
	if (e == 0) return fd;
	close((int)fd);
	return e;
}

/*
 * O_DIRECT I/O of len bytes at file offset 0 of the scratch fd: read = the file (first filled with
 * value through the page cache, O_DIRECT cleared for that) into [addr, addr+len); write = the
 * memory into the file (first: the file's first byte, read back). Returns the count or -errno.
 */
long gm_direct_io(int fd, uint64_t addr, uint64_t len, int write, uint8_t value, int *first)
{
	int fl = fcntl(fd, F_GETFL);
	size_t mapped;
	uint8_t *buf, b;
	long rc = 0;
	*first = -1;
	if (fl < 0) return -errno;
	if (!write) {
		if ((buf = gm_buf_take(len, value, &mapped)) == NULL) return -ENOMEM;
		if (fcntl(fd, F_SETFL, fl & ~O_DIRECT) < 0 || pwrite(fd, buf, len, 0) != (ssize_t)len) rc = -errno;
		gm_buf_give(buf, mapped);
		if (rc < 0 || fcntl(fd, F_SETFL, fl) < 0) return rc < 0 ? rc : -errno;
		rc = gm_rc(pread(fd, (void *)(uintptr_t)addr, len, 0));
		*first = rc > 0 ? value : -1;
	} else {
		rc = gm_rc(pwrite(fd, (void *)(uintptr_t)addr, len, 0));
		if (rc > 0 && fcntl(fd, F_SETFL, fl & ~O_DIRECT) == 0) *first = pread(fd, &b, 1, 0) == 1 ? b : -1;
	}
	fcntl(fd, F_SETFL, fl);
	return rc;
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

/*
 * UFFDIO_MOVE of len bytes from src to dst: the bytes the kernel reports moved, or -errno. It can
 * only ever act on a destination registered with this uffd that is anonymous memory; the target
 * registers only its own file mappings, so nothing of the process can move. (addon: uffdMove)
 */
long gm_uffd_move(int uffd, uint64_t dst, uint64_t src, uint64_t len, uint64_t mode)
{
	struct uffdio_move m = { .dst = dst, .src = src, .len = len, .mode = mode };
	return ioctl(uffd, UFFDIO_MOVE, &m) < 0 ? -errno : m.move;
}

/* UFFDIO_WRITEPROTECT of [start, start + len) with mode (WP sets, 0 clears and wakes): 0 or -errno. (addon: uffdWriteProtect) */
long gm_uffd_writeprotect(int uffd, uint64_t start, uint64_t len, uint64_t mode)
{
	struct uffdio_writeprotect w = { .range = { start, len }, .mode = mode };
	return gm_rc(ioctl(uffd, UFFDIO_WRITEPROTECT, &w));
}

/* UFFDIO_POISON of [start, start + len) with mode: the bytes poisoned (uffdio_poison.updated) or -errno. (addon: uffdPoison) */
long gm_uffd_poison(int uffd, uint64_t start, uint64_t len, uint64_t mode)
{
	struct uffdio_poison x = { .range = { start, len }, .mode = mode };
	return ioctl(uffd, UFFDIO_POISON, &x) < 0 ? -errno : x.updated;
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

/*
 * The forked child. The write end of the report pipe, in the child only: its fault handler has no
 * other way to reach it. Set after fork() in the child and never in this process, so no state is
 * shared with the parent's threads.
 */
static int gm_child_report_fd = -1;

struct gm_child_report { long rc; int signo; int code; uint64_t addr; };

/* The child's SIGSEGV/SIGBUS handler: report the signal and leave (write and _exit are async-signal-safe). */
static void gm_child_fault(int signo, siginfo_t *si, void *uc)
{
	struct gm_child_report r = { 0, signo, si->si_code, (uint64_t)(uintptr_t)si->si_addr };
	(void)uc;
	if (write(gm_child_report_fd, &r, sizeof(r)) != (ssize_t)sizeof(r)) _exit(4);
	_exit(3);
}

/* The child's one action: plain syscalls and one byte access only (it was forked from a multi-threaded process). */
static void gm_child_run(int report, int kind, uint64_t addr, int value, int fd, int mode, int64_t offset, int64_t len)
{
	struct gm_child_report r = { 0, 0, 0, 0 };
	struct sigaction sa;
	sigset_t faults;
	gm_child_report_fd = report;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = gm_child_fault;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigemptyset(&faults);
	sigaddset(&faults, SIGSEGV);
	sigaddset(&faults, SIGBUS);
	sigprocmask(SIG_UNBLOCK, &faults, NULL);
	switch (kind) {
	case 0: r.rc = *(volatile uint8_t *)(uintptr_t)addr; break;
	case 1: *(volatile uint8_t *)(uintptr_t)addr = (uint8_t)value; break;
	case 2: r.rc = gm_rc(syscall(SYS_fallocate, fd, mode, (long)offset, (long)len)); break;
	case 3: r.rc = gm_rc(syscall(SYS_ftruncate, fd, (long)offset)); break;
	default: r.rc = gm_rc(syscall(SYS_ioctl, fd, KVM_CHECK_EXTENSION, (unsigned long)len)); break;
	}
	_exit(write(report, &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 4);
}

/* Reaps the child, killing it first when asked; a child that will not die within a second is left (never waited for without bound). */
static void gm_child_reap(pid_t pid, int kill_first)
{
	struct timespec ms5 = { 0, 5000000 };
	int status, i;
	if (kill_first) kill(pid, SIGKILL);
	for (i = 0; i < 200; i++) {
		if (waitpid(pid, &status, WNOHANG) != 0) return;
		nanosleep(&ms5, NULL);
	}
}

/*
 * fork(), then one action in the child: kind 0 load a byte at addr, 1 store value there, 2
 * fallocate(fd, mode, offset, len), 3 ftruncate(fd, offset), 4 KVM_CHECK_EXTENSION(fd, len). The
 * child reports through a pipe and exits; the wait is bounded by timeout_ms (then the child is
 * killed: GM_CHILD_TIMEOUT). Returns the value read or the syscall's result, -errno, a signal as
 * GM_CHILD_SIGNAL - (signo * 256 + si_code) (si_addr is addr, or GM_CHILD_LOST), or a harness code.
 * (addon: child)
 */
long gm_child(int kind, uint64_t addr, int value, int fd, int mode, int64_t offset, int64_t len, int timeout_ms)
{
	struct gm_child_report r;
	struct pollfd p;
	int pfd[2], ready;
	ssize_t got;
	pid_t pid;
	if (kind < 0 || kind > 4 || timeout_ms < 1) return GM_BAD_ARG;
	if (pipe2(pfd, O_CLOEXEC) < 0) return GM_CHILD_LOST;
	pid = fork();
	if (pid == 0) gm_child_run(pfd[1], kind, addr, value, fd, mode, offset, len);
	close(pfd[1]);
	if (pid < 0) { close(pfd[0]); return GM_CHILD_LOST; }
	p.fd = pfd[0];
	p.events = POLLIN;
	do ready = poll(&p, 1, timeout_ms); while (ready < 0 && errno == EINTR);
	if (ready <= 0) { close(pfd[0]); gm_child_reap(pid, 1); return GM_CHILD_TIMEOUT; }
	got = read(pfd[0], &r, sizeof(r));
	close(pfd[0]);
	gm_child_reap(pid, got != (ssize_t)sizeof(r));
	if (got != (ssize_t)sizeof(r)) return GM_CHILD_LOST;
	if (r.signo == 0) return r.rc;
	if (r.addr != addr || r.code < 0 || r.code > 255) return GM_CHILD_LOST;
	return GM_CHILD_SIGNAL - (long)(r.signo * 256 + r.code);
}

/*
 * The flag bits 55..63 of the /proc/self/pagemap entry of the page at addr, shifted down to bits
 * 0..8 (the PFN never leaves this function); GM_PAGEMAP_NONE when the read returned no entry
 * (pagemap_read stops at the top of the user address space); -errno. (addon: pagemap)
 */
long gm_pagemap(uint64_t addr)
{
	uint64_t e = 0;
	ssize_t n;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0) return -errno;
	n = pread(fd, &e, sizeof e, (off_t)((addr >> 12) * 8));
	if (n < 0) n = -errno;
	close(fd);
	if (n < 0) return (long)n;
	if (n == 0) return GM_PAGEMAP_NONE;
	return n == (ssize_t)sizeof e ? (long)(e >> 55) : -EIO;
}

/* The whole of /proc/self/smaps, NUL-terminated (the caller frees it); NULL with errno set. At most 64 MiB. */
static char *gm_read_proc(const char *path)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	if (fd < 0 || buf == NULL) { int e = fd < 0 ? errno : ENOMEM; free(buf); if (fd >= 0) close(fd); errno = e; return NULL; }
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *more = cap >= (64u << 20) ? NULL : realloc(buf, cap * 2);
			if (more == NULL) { free(buf); close(fd); errno = EFBIG; return NULL; }
			buf = more, cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR) continue;
		if (n <= 0) break;
		len += (size_t)n;
	}
	if (n < 0) { int e = errno; free(buf); close(fd); errno = e; return NULL; }
	close(fd);
	buf[len] = 0;
	return buf;
}

/*
 * The /proc/self/smaps entry of the VMA holding addr (its maps line included), parsed into *out: 1,
 * or 0 when no VMA holds it, or -errno (the file could not be read). Field names are matched whole ("Rss:"), so new
 * fields a later kernel adds are skipped.
 */
long gm_smaps(uint64_t addr, struct gm_smaps *out)
{
	static const char *const names[GM_SMAPS_NFIELDS] = {
		"Rss:", "Pss:", "Shared_Clean:", "Shared_Dirty:", "Private_Clean:", "Private_Dirty:", "Anonymous:", "FilePmdMapped:", "Locked:",
	};
	char *buf = gm_read_proc("/proc/self/smaps"), *line, *next;
	int in = 0, found = 0, i;
	if (buf == NULL) return -errno;
	memset(out, 0, sizeof *out);
	for (line = buf; *line; line = next) {
		unsigned long long lo, hi, off;
		char perms[8];
		int name = 0;
		next = strchr(line, '\n');
		if (next == NULL) next = line + strlen(line); else *next++ = 0;
		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &lo, &hi, perms, &off, &name) == 4 && name > 0 && strchr(line, '-') < strchr(line, ' ')) {
			if (found) break;
			in = addr >= lo && addr < hi;
			if (in) {
				found = 1, out->start = lo, out->end = hi, out->offset = off;
				snprintf(out->perms, sizeof out->perms, "%s", perms);
				snprintf(out->name, sizeof out->name, "%s", line + name);
			}
			continue;
		}
		if (!in) continue;
		for (i = 0; i < GM_SMAPS_NFIELDS; i++)
			if (strncmp(line, names[i], strlen(names[i])) == 0) out->kb[i] = strtoull(line + strlen(names[i]), NULL, 10);
		if (strncmp(line, "THPeligible:", 12) == 0) out->thp = (int)strtol(line + 12, NULL, 10);
		if (strncmp(line, "VmFlags:", 8) == 0) snprintf(out->flags, sizeof out->flags, "%s", line + 8);
	}
	free(buf);
	return found;
}

/*
 * /proc/self/fdinfo/<fd>: its pos and flags (printed in octal) into *pos and *flags, and the
 * /proc/self/fd/<fd> link into link (NUL-terminated, cut to len - 1); 0 or -errno (a closed fd:
 * the entries do not exist, ENOENT).
 */
long gm_fd_info(int fd, int64_t *pos, long *flags, char *link, size_t len)
{
	char path[64], buf[512];
	ssize_t n;
	long long p = 0;
	unsigned long f = 0;
	const char *at;
	int in;
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0) return -errno;
	n = read(in, buf, sizeof buf - 1);
	if (n < 0) n = -errno;
	close(in);
	if (n < 0) return (long)n;
	buf[n] = 0;
	if ((at = strstr(buf, "pos:")) != NULL) sscanf(at + 4, "%lld", &p);
	if ((at = strstr(buf, "flags:")) != NULL) sscanf(at + 6, "%lo", &f);
	*pos = p, *flags = (long)f;
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	n = readlink(path, link, len - 1);
	if (n < 0) return -errno;
	link[n] = 0;
	return 0;
}

/*
 * prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, len, name) with one of four fixed names: 0 NULL,
 * 1 "gmemcheck", 2 "gm[x" ('[' is refused), 3 one hundred 'a's (past ANON_VMA_NAME_MAX_LEN, 80). (addon: setVmaName)
 */
long gm_set_vma_name(uint64_t addr, uint64_t len, int name)
{
	static const char too_long[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	const char *s = name == 1 ? "gmemcheck" : name == 2 ? "gm[x" : name == 3 ? too_long : NULL;
	return gm_rc(syscall(SYS_prctl, 0x53564d41UL, 0UL, (unsigned long)addr, (unsigned long)len, (unsigned long)(uintptr_t)s));
}

/* inotify_add_watch("/proc/self/fd/N", IN_MODIFY | IN_ATTRIB) on a fresh non-blocking inotify (a dead fd has no such path: no watch), fallocate(fd, mode, offset, len), then the events queued are counted. The count when fallocate succeeded or an event came, else fallocate's -errno; GM_NO_SCRATCH if no inotify instance. (addon: fdWatch) */
long gm_fd_watch(int fd, int mode, int64_t offset, int64_t len)
{
	char path[64], buf[4096];
	long in, rc, n = 0, r;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (in < 0) return GM_NO_SCRATCH;
	(void)inotify_add_watch((int)in, path, IN_MODIFY | IN_ATTRIB);
	rc = gm_rc(syscall(SYS_fallocate, fd, (long)mode, (long)offset, (long)len));
	while ((r = read((int)in, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + r; p += sizeof(struct inotify_event) + ((struct inotify_event *)p)->len) n++;
	close((int)in);
	return rc < 0 && n == 0 ? rc : n;
}

/* KVM_GET_DIRTY_LOG (call 0) or KVM_CLEAR_DIRTY_LOG (call 1) with a bitmap buffer that holds the largest slot's (KVM_MEM_MAX_NR_PAGES bits: 256 MiB, reserved, never written by us) and is all zeroes (so CLEAR clears nothing); GM_NO_SCRATCH if it cannot be mapped. (addon: dirtyLog) */
long gm_dirty_log(int vm_fd, int call, uint32_t slot, uint64_t first_page, uint32_t num_pages)
{
	size_t len = (size_t)1 << 28;
	void *bm = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	long rc;
	if (bm == MAP_FAILED) return GM_NO_SCRATCH;
	if (call == 0) {
		struct kvm_dirty_log g = { .slot = slot, .dirty_bitmap = (uint64_t)(uintptr_t)bm };
		rc = gm_rc(ioctl(vm_fd, KVM_GET_DIRTY_LOG, &g));
	} else {
		struct kvm_clear_dirty_log c = { .slot = slot, .num_pages = num_pages, .first_page = first_page, .dirty_bitmap = (uint64_t)(uintptr_t)bm };
		rc = gm_rc(ioctl(vm_fd, KVM_CLEAR_DIRTY_LOG, &c));
	}
	munmap(bm, len);
	return rc;
}

/* execveat(fd, "", {NULL}, {NULL}, AT_EMPTY_PATH | AT_EXECVE_CHECK (0x10000, since v6.14)): the checks of an exec, nothing loaded or run. (addon: fdExecCheck) */
long gm_fd_exec_check(int fd)
{
	char *argv[] = { NULL }, *envp[] = { NULL };
	return gm_rc(syscall(SYS_execveat, fd, "", argv, envp, (long)(AT_EMPTY_PATH | 0x10000)));
}

/*
 * get_mempolicy at addr with the whole unsigned long flags word (POL-22): the result or -errno;
 * *mode gets the mode (the node with MPOL_F_NODE), *nodes the one-word node mask.
 */
long gm_get_mempolicy_flags(uint64_t addr, uint64_t flags, int *mode, unsigned long *nodes)
{
	return gm_rc(syscall(SYS_get_mempolicy, mode, nodes, 64UL, addr, (unsigned long)flags));
}

/* The value of " key=" in a numa_maps line, 0 when the kernel left it out. */
static uint64_t gm_numa_count(const char *line, const char *key)
{
	const char *at = strstr(line, key);
	return at == NULL ? 0 : strtoull(at + strlen(key), NULL, 10);
}

/*
 * The /proc/thread-self/numa_maps line of the VMA holding addr (the calling thread's file: a VMA
 * without a policy shows the reading task's policy), parsed into *out: 1, 0 when no VMA holds addr,
 * or -errno. The VMA's start comes from its smaps entry (numa_maps lines carry only the start).
 * pages is mapped=, or the larger of anon= and dirty= where the kernel leaves mapped= out (it does
 * when every page is anonymous or every page dirty).
 */
long gm_numa_maps(uint64_t addr, struct gm_numa_maps *out)
{
	struct gm_smaps s;
	long rc = gm_smaps(addr, &s);
	char *buf, *line, *next;
	if (rc <= 0) return rc;
	memset(out, 0, sizeof *out);
	out->start = s.start;
	if ((buf = gm_read_proc("/proc/thread-self/numa_maps")) == NULL) return -errno;
	rc = -ENOENT;
	for (line = buf; *line; line = next) {
		unsigned long long at;
		int n = 0;
		const char *file, *end;
		next = strchr(line, '\n');
		if (next == NULL) next = line + strlen(line); else *next++ = 0;
		if (sscanf(line, "%llx %n", &at, &n) != 1 || n == 0 || at != s.start) continue;
		file = strstr(line + n, " file=");
		end = file != NULL ? file : line + n + strcspn(line + n, " ");
		snprintf(out->policy, sizeof out->policy, "%.*s", (int)(end - (line + n)), line + n);
		if (file != NULL) snprintf(out->file, sizeof out->file, "%.*s", (int)strcspn(file + 6, " "), file + 6);
		out->anon = gm_numa_count(line, " anon=");
		out->pages = gm_numa_count(line, " mapped=");
		if (out->pages == 0) out->pages = out->anon > gm_numa_count(line, " dirty=") ? out->anon : gm_numa_count(line, " dirty=");
		out->n0 = gm_numa_count(line, " N0=");
		rc = 1;
		break;
	}
	free(buf);
	return rc;
}

/*
 * move_pages(0, pages, ...) of the pages at offset + i * 4096 from a mapping at base of len bytes
 * (page-rounded): a page inside it goes as its address, one outside as a non-canonical address
 * (no VMA holds it, and nothing of this process is named); nodes NULL (query) unless move, then
 * every page's node is node. status gets one int per page, preset to INT_MIN (a page the kernel
 * left unwritten shows as such). The result (0, the pages not moved) or -errno.
 */
long gm_move_pages(uint64_t base, uint64_t len, int64_t offset, int pages, int move, int node, int flags, int *status)
{
	void *addr[GM_MOVE_PAGES_MAX];
	int nodes[GM_MOVE_PAGES_MAX], i;
	uint64_t end = (len + 4095) & ~4095ULL;
	if (pages < 0 || pages > GM_MOVE_PAGES_MAX) return -EINVAL;
	for (i = 0; i < pages; i++) {
		__int128 off = (__int128)offset + (__int128)i * 4096;
		addr[i] = (void *)(uintptr_t)(off >= 0 && off < (__int128)end ? base + (uint64_t)off : (1ULL << 63) + (uint64_t)i * 4096);
		nodes[i] = node;
		status[i] = INT_MIN;
	}
	return gm_rc(syscall(SYS_move_pages, 0, (unsigned long)pages, addr, move ? nodes : NULL, status, flags));
}

/*
 * PROCMAP_QUERY on /proc/self/maps for addr with a structure of `size` bytes (the kernel reads at
 * most a page: the buffer is a zeroed page, the structure at its start, one non-zero byte right
 * after the 104 bytes when tail), the query flags, a name buffer of name_size bytes (0: none; the
 * kernel copies at most PATH_MAX, the buffer's size) and build_id: 0 none, 1 a 20-byte buffer, 2
 * the size without an address, 3 an address with size 0. A build id is asked for (1) only where
 * the VMA the same query finds maps file page 0 at its start and mincore shows that page resident:
 * before 7.0 the kernel's build-id reader falls back on a page-cache miss to read_cache_folio,
 * which calls the address space's read_folio, and neither shmem nor guest_memfd has one. out->q
 * is the structure as the kernel left it; 0 or -errno.
 */
long gm_procmap_query(uint64_t addr, uint64_t size, uint64_t flags, uint32_t name_size, int build_id, int tail, struct gm_procmap *out)
{
	unsigned char page[4096 + 8];
	unsigned char bid[20];
	struct procmap_query *q = (struct procmap_query *)page;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC), rc, e;
	if (fd < 0) return -errno;
	out->bid_asked = 0;
	if (build_id == 1 && size >= 104 && size <= 4096) {
		/* The VMA this query finds (same flags, no buffers), and whether its first page is file page 0 and resident. */
		struct procmap_query pre = { .size = sizeof pre, .query_flags = flags & 0x3f, .query_addr = addr };
		unsigned char v = 0;
		if (ioctl(fd, PROCMAP_QUERY, &pre) == 0 && pre.inode != 0 && pre.vma_offset == 0 &&
		    mincore((void *)(uintptr_t)pre.vma_start, 4096, &v) == 0 && (v & 1))
			out->bid_asked = 1;
	}
	memset(page, 0, sizeof page);
	q->size = size;
	q->query_flags = flags;
	q->query_addr = addr;
	/*
	 * An address the kernel would read only in part (size ends inside it) is not passed: its low
	 * bytes would make another address, which the kernel might write the name or build id to.
	 */
	if (name_size != 0) { q->vma_name_size = name_size; if (size >= 96) q->vma_name_addr = (uint64_t)(uintptr_t)out->name; }
	if ((build_id == 1 && (size < 104 || out->bid_asked)) || build_id == 2) q->build_id_size = sizeof bid;
	if ((build_id == 1 && out->bid_asked) || build_id == 3) { if (size >= 104) q->build_id_addr = (uint64_t)(uintptr_t)bid; }
	if (tail) page[sizeof *q] = 1;
	out->name[0] = 0;
	rc = ioctl(fd, PROCMAP_QUERY, page);
	e = errno;
	close(fd);
	memcpy(out->q, q, sizeof out->q);
	return rc < 0 ? -e : 0;
}

/*
 * PAGEMAP_SCAN on /proc/self/pagemap over [a->start, a->end) with the argument words of *a and a
 * vec of 8 regions (NULL when a->vec_null; vec_len as given: the caller keeps vec_len within what
 * the range can make, the kernel never writes more regions than the range has pages). The number
 * of regions, or -errno; a->walk_end and a->regions are what the kernel wrote back.
 */
long gm_pagemap_scan(struct gm_pm_scan *a)
{
	struct { uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages, category_inverted, category_mask, category_anyof_mask, return_mask; } arg;
	long rc;
	int fd, e;
	if (!a->vec_null && a->vec_len > 8 && (a->end < a->start || a->end - a->start > 8 * 4096ULL)) return GM_BAD_ARG;
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0) return -errno;
	memset(a->regions, 0, sizeof a->regions);
	arg.size = a->size, arg.flags = a->flags, arg.start = a->start, arg.end = a->end, arg.walk_end = 0;
	arg.vec = a->vec_null ? 0 : (uint64_t)(uintptr_t)a->regions, arg.vec_len = a->vec_len, arg.max_pages = a->max_pages;
	arg.category_inverted = a->category_inverted, arg.category_mask = a->category_mask;
	arg.category_anyof_mask = a->category_anyof_mask, arg.return_mask = a->return_mask;
	rc = ioctl(fd, 0xc0606610UL /* PAGEMAP_SCAN: _IOWR('f', 16, struct pm_scan_arg) */, &arg);
	e = errno;
	close(fd);
	a->walk_end = arg.walk_end;
	return rc < 0 ? -e : rc;
}

/*
 * /proc/self/map_files/<start>-<end> of the VMA covering addr (its exact range from PROCMAP_QUERY;
 * where no VMA covers it, the one-page range at addr, which the kernel's lookup does not find):
 * how 0 readlink into link (NUL-terminated, cut to len - 1), 1 open O_RDONLY, 2 O_RDWR, 3 O_PATH
 * (the fd is closed again at once). 0 or -errno.
 */
long gm_map_files(uint64_t addr, int how, char *link, size_t len)
{
	static const int modes[] = { O_RDONLY, O_RDWR, O_PATH };
	char path[96];
	uint64_t start = addr & ~4095ULL, end = start + 4096;
	struct procmap_query q = { .size = sizeof q, .query_addr = addr };
	ssize_t n;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (how < 0 || how > 3 || len == 0) return GM_BAD_ARG;
	if (fd < 0) return -errno;
	if (ioctl(fd, PROCMAP_QUERY, &q) == 0) start = q.vma_start, end = q.vma_end;
	close(fd);
	snprintf(path, sizeof path, "/proc/self/map_files/%llx-%llx", (unsigned long long)start, (unsigned long long)end);
	if (how == 0) {
		n = readlink(path, link, len - 1);
		if (n < 0) return -errno;
		link[n] = 0;
		return 0;
	}
	fd = open(path, modes[how - 1] | O_CLOEXEC);
	if (fd < 0) return -errno;
	close(fd);
	return 0;
}

/* The raw mremap(addr, old_len, new_len, flags, new_addr), every argument an unsigned long: the new address (below 2^47, exact as a JS number) or -errno. (addon: mremap) */
long gm_mremap(uint64_t addr, uint64_t old_len, uint64_t new_len, uint64_t flags, uint64_t new_addr)
{
	long r = syscall(SYS_mremap, (unsigned long)addr, (unsigned long)old_len, (unsigned long)new_len, (unsigned long)flags, (unsigned long)new_addr);
	return r == -1 ? -errno : r;
}

/* Every argument is the syscall's unsigned long, passed whole (POL-23: flags bit 32, node 2^32 count). (addon: setMempolicyHomeNode) */
long gm_set_mempolicy_home_node(uint64_t start, uint64_t len, uint64_t node, uint64_t flags)
{
	return gm_rc(syscall(SYS_set_mempolicy_home_node, start, len, node, flags));
}

/* KVM_SET_USER_MEMORY_REGION2 with pad1 and the first n_pad2 (at most 14) words of pad2 as given, the rest 0 (SLOT-20). */
long gm_set_memory_region_pad(int vm_fd, uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size, uint64_t uaddr,
			      uint32_t gmem_fd, uint64_t gmem_offset, uint32_t pad1, const uint64_t *pad2, int n_pad2)
{
	struct kvm_userspace_memory_region2 r = { .slot = slot, .flags = flags, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = uaddr, .guest_memfd = gmem_fd, .guest_memfd_offset = gmem_offset, .pad1 = pad1 };
	for (int i = 0; i < n_pad2 && i < 14; i++) r.pad2[i] = pad2[i];
	return gm_rc(ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION2, &r));
}

/* The descriptor names gm_kvm_stats looks for, in the order of spec/vocab/ops-kstats.ts KVM_STATS_KEYS (bit i of gm_kstats.has). */
static const char *const GM_KSTATS_KEYS[] = { "remote_tlb_flush", "pages_4k", "pages_2m", "pages_1g", "nx_lpage_splits", "halt_exits", "exits", "pf_taken", "pf_fixed", "blocking" };

static uint32_t gm_le32(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

/* The id string with "kvm-<getpid()>" written as "kvm-PID" (the pid differs per run; another pid stays as it is). */
static void gm_kstats_id(const unsigned char *s, size_t n, char *out, size_t len)
{
	char mine[32];
	size_t k = (size_t)snprintf(mine, sizeof mine, "kvm-%d", (int)getpid());
	size_t z = strnlen((const char *)s, n);
	if (z >= n) { snprintf(out, len, "(no NUL)"); return; }
	if (z >= k && memcmp(s, mine, k) == 0 && (s[k] == 0 || s[k] == '/')) snprintf(out, len, "kvm-PID%s", (const char *)s + k);
	else snprintf(out, len, "%s", (const char *)s);
}

/* Reads the stats file from 0 and checks its layout (include/uapi/linux/kvm.h kvm_stats_header, kvm_stats_desc): out->layout names the first check that failed; *end is the end of the data block the descriptors place. */
static void gm_kstats_parse(const unsigned char *b, size_t n, struct gm_kstats *out, uint64_t *end)
{
	uint32_t flags, ns, nd, ido, dso, dto, i, j;
	*end = n;
	if (n < 24) { snprintf(out->layout, sizeof out->layout, "header"); return; }
	flags = gm_le32(b), ns = gm_le32(b + 4), nd = gm_le32(b + 8), ido = gm_le32(b + 12), dso = gm_le32(b + 16), dto = gm_le32(b + 20);
	if (flags != 0) { snprintf(out->layout, sizeof out->layout, "flags"); return; }
	if (ns != 48) { snprintf(out->layout, sizeof out->layout, "name_size"); return; }
	if (ido < 24 || (uint64_t)ido + ns > n || strnlen((const char *)b + ido, ns) == 0 || strnlen((const char *)b + ido, ns) >= ns) { snprintf(out->layout, sizeof out->layout, "id"); return; }
	gm_kstats_id(b + ido, ns, out->id, sizeof out->id);
	if (dso < (uint64_t)ido + ns) { snprintf(out->layout, sizeof out->layout, "desc_offset"); return; }
	if ((uint64_t)dto < (uint64_t)dso + (uint64_t)nd * (16 + ns) || dto > n) { snprintf(out->layout, sizeof out->layout, "data_offset"); return; }
	uint64_t hi = 0;
	for (i = 0; i < nd; i++) {
		const unsigned char *d = b + dso + (uint64_t)i * (16 + ns);
		uint32_t f = gm_le32(d), size = (uint32_t)d[6] | (uint32_t)d[7] << 8, off = gm_le32(d + 8);
		size_t z = strnlen((const char *)d + 16, ns);
		uint64_t lo = (uint64_t)dto + off, e = lo + 8ULL * size;
		if (z == 0 || z >= ns || size == 0 || (f & 0xf) > 4 || ((f >> 4) & 0xf) > 4 || ((f >> 8) & 0xf) > 1 || off % 8 != 0) { snprintf(out->layout, sizeof out->layout, "desc %u", i); return; }
		if (e > n) { snprintf(out->layout, sizeof out->layout, "desc %u data", i); return; }
		for (j = 0; j < i; j++) {
			const unsigned char *o = b + dso + (uint64_t)j * (16 + ns);
			uint64_t olo = gm_le32(o + 8), ohi = olo + 8ULL * ((uint32_t)o[6] | (uint32_t)o[7] << 8);
			if (off < ohi && olo < off + 8ULL * size) { snprintf(out->layout, sizeof out->layout, "desc %u data", i); return; }
		}
		if (e > hi) hi = e;
		for (j = 0; j < sizeof GM_KSTATS_KEYS / sizeof GM_KSTATS_KEYS[0]; j++) {
			if (strcmp((const char *)d + 16, GM_KSTATS_KEYS[j]) != 0) continue;
			out->has |= 1u << j;
			int64_t v;
			memcpy(&v, b + lo, sizeof v);
			if (j == 1) out->pages_small = v;
			if (j == 2 || j == 3) out->pages_huge = (out->pages_huge < 0 ? 0 : out->pages_huge) + v;
		}
	}
	*end = hi > dto ? hi : dto;
	snprintf(out->layout, sizeof out->layout, "ok");
}

/*
 * KVM_GET_STATS_FD on fd (a VM or vCPU fd: the kernel makes a new read-only fd); then on that fd:
 * pread from 0 (a buffer of 64 KiB: x86 has about 100 descriptors of 64 bytes) and the layout
 * checks; pread of 8 bytes at `at` (0: the data block's end, 1: 4 bytes before it, 2: 2^40,
 * 3: -1); write (wcall 0) or pwrite at 0 (wcall 1) of 8 bytes; close. The ioctl's -errno, or 0
 * with *out filled; GM_NO_SCRATCH if no buffer. Its N-API glue is hand-written (src/kstats.cc).
 */
long gm_kvm_stats(int fd, int at, int wcall, struct gm_kstats *out)
{
	size_t cap = 1 << 16;
	unsigned char *b, eight[8] = { 0 };
	long sfd, n;
	uint64_t end;
	memset(out, 0, sizeof *out);
	out->pages_small = out->pages_huge = -1;
	sfd = gm_rc(ioctl(fd, KVM_GET_STATS_FD, 0));
	if (sfd < 0) return sfd;
	b = calloc(1, cap);
	if (b == NULL) { close((int)sfd); return GM_NO_SCRATCH; }
	n = pread((int)sfd, b, cap, 0);
	if (n < 0) snprintf(out->layout, sizeof out->layout, "pread %d", errno);
	else gm_kstats_parse(b, (size_t)n, out, &end);
	if (n < 0) end = 0;
	int64_t pos = at == 0 ? (int64_t)end : at == 1 ? (int64_t)end - 4 : at == 2 ? (int64_t)1 << 40 : -1;
	out->read_at = gm_rc(pread((int)sfd, b, 8, pos));
	out->write_rc = gm_rc(wcall == 0 ? write((int)sfd, eight, 8) : pwrite((int)sfd, eight, 8, 0));
	free(b);
	close((int)sfd);
	return 0;
}

/*
 * The /proc/self/pagemap entry of addr (a page of a mapping of the test: the caller checks), and if
 * a page is present, /proc/kpageflags and /proc/kpagecount at its PFN: 0 (no page), or 1 | the
 * KPF bits 3, 5, 11, 12, 14, 18, 22, 24 (spec/vocab/ops-kstats.ts KPAGE_FLAG_BITS) as bits 1..8 |
 * the count from bit 16; -errno of an open or read; GM_NO_SCRATCH when the entry hides the PFN
 * (pagemap shows it only to CAP_SYS_ADMIN). (addon: kpageFlags)
 */
long gm_kpage_flags(uint64_t addr)
{
	static const int bits[] = { 3, 5, 11, 12, 14, 18, 22, 24 };
	uint64_t e = 0, fl = 0, cnt = 0, pfn;
	long r = 0, i, fd = gm_rc(open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC));
	if (fd < 0) return fd;
	if (pread((int)fd, &e, sizeof e, (off_t)((addr / 4096) * 8)) != (ssize_t)sizeof e) r = errno ? -errno : -EIO;
	close((int)fd);
	if (r < 0) return r;
	if (!(e >> 63 & 1)) return 0;
	pfn = e & ((1ULL << 55) - 1);
	if (pfn == 0) return GM_NO_SCRATCH;
	fd = gm_rc(open("/proc/kpageflags", O_RDONLY | O_CLOEXEC));
	if (fd < 0) return fd;
	if (pread((int)fd, &fl, sizeof fl, (off_t)(pfn * 8)) != (ssize_t)sizeof fl) r = errno ? -errno : -EIO;
	close((int)fd);
	if (r < 0) return r;
	fd = gm_rc(open("/proc/kpagecount", O_RDONLY | O_CLOEXEC));
	if (fd < 0) return fd;
	if (pread((int)fd, &cnt, sizeof cnt, (off_t)(pfn * 8)) != (ssize_t)sizeof cnt) r = errno ? -errno : -EIO;
	close((int)fd);
	if (r < 0) return r;
	r = 1;
	for (i = 0; i < 8; i++) if (fl >> bits[i] & 1) r |= 1L << (i + 1);
	return r | (long)(cnt > 0xffffffffULL ? 0xffffffffULL : cnt) << 16;
}

/* copy_file_range(src, &src_off, dst, &dst_off, len, flags) between two fds of the test (the same fd allowed); an offset of -1 passes NULL (the file position). len is bounded here like the splice family's (the generated glue checks C types only): above GM_FD_IO_MAX it is GM_BAD_ARG, issued nothing. (addon: copyRange) */
long gm_copy_range(int src, int dst, int64_t src_off, int64_t dst_off, uint64_t len, unsigned int flags)
{
	loff_t si = src_off, di = dst_off;
	if (len > GM_FD_IO_MAX) return GM_BAD_ARG;
	return gm_rc(syscall(SYS_copy_file_range, src, src_off == -1 ? NULL : &si, dst, dst_off == -1 ? NULL : &di, len, flags));
}

/* spanRange (spec/vocab/ops-span.ts SPAN_CALL order): map anon_len bytes of anonymous private memory at end with MAP_FIXED_NOREPLACE (never over anything: a busy range fails, and a kernel that ignored the flag and placed it elsewhere is undone), issue the call over [start, end + anon_len), then unmap exactly those anonymous bytes. The call's result or -errno; GM_NO_SCRATCH when the anonymous pages could not be placed at end (nothing issued); GM_BAD_ARG for a call outside 0..9, an empty or longer than 16-page anonymous part, or end <= start. (addon: spanRange) */
long gm_span_range(uint64_t start, uint64_t end, uint64_t anon_len, int call)
{
	static const int advice[] = { MADV_DONTNEED, MADV_REMOVE, MADV_FREE, MADV_WILLNEED };
	static const unsigned long prot[] = { PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE };
	uint64_t len = end - start + anon_len;
	long rc;
	void *a;
	if (call < 0 || call > 9 || anon_len == 0 || anon_len > 16 * 4096 || end <= start) return GM_BAD_ARG;
	a = mmap((void *)(uintptr_t)end, anon_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | 0x100000 /* MAP_FIXED_NOREPLACE */, -1, 0);
	if (a == MAP_FAILED) return GM_NO_SCRATCH;
	if ((uint64_t)(uintptr_t)a != end) { munmap(a, anon_len); return GM_NO_SCRATCH; }
	if (call < 4) rc = gm_rc(madvise((void *)(uintptr_t)start, len, advice[call]));
	else if (call < 7) rc = gm_rc(syscall(SYS_mprotect, start, len, prot[call - 4]));
	else if (call == 7) rc = gm_rc(syscall(SYS_mlock, start, len));
	else if (call == 8) rc = gm_rc(syscall(SYS_mlock2, start, len, 1 /* MLOCK_ONFAULT */));
	else rc = gm_rc(syscall(SYS_munlock, start, len));
	munmap(a, anon_len);
	return rc;
}
