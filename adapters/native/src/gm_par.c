// SPDX-License-Identifier: GPL-2.0-only
/*
 * Branches of ops on real threads (see gm_par.h). The same layout rule as gm_sys.c, because a
 * parallel reproducer embeds single items of this file: top-level items separated by one blank
 * line, no blank line inside an item, a system #include names the identifiers it is needed for.
 */
#include <errno.h>       /* errno */
#include <poll.h>        /* poll */
#include <pthread.h>     /* pthread_create pthread_join */
#include <sched.h>       /* sched_yield */
#include <string.h>      /* memset */
#include <sys/eventfd.h> /* eventfd */
#include <sys/ioctl.h>   /* ioctl */
#include <sys/mman.h>    /* mprotect */
#include <sys/syscall.h> /* syscall SYS_gettid */
#include <time.h>        /* clock_gettime */
#include <unistd.h>      /* read write close */
#include "gm_par.h"
#include "gm_uapi.h"

static int64_t gm_par_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A one-byte access, published first so the monitor knows how to answer a userfault it raises. */
static void gm_par_access(struct gm_par_thread *t, const struct gm_par_op *op, struct gm_par_res *res, int store)
{
	struct gm_par_slot *s = &t->slot;
	s->page = op->a[0] & ~4095ULL;
	s->write = store;
	s->how = (int)op->a[2];
	s->fill = (uint8_t)op->a[3];
	s->res = res;
	__atomic_store_n(&s->active, 1, __ATOMIC_RELEASE);
	res->access = gm_guarded_access((uint8_t *)(uintptr_t)op->a[0], store, (uint8_t)op->a[1]);
	__atomic_store_n(&s->active, 0, __ATOMIC_RELEASE);
}

/* An I/O through a scratch buffer (file I/O, process_vm_readv/writev): rc and the first byte moved. */
static void gm_par_buffered(const struct gm_par_op *op, struct gm_par_res *res)
{
	const uint64_t *a = op->a;
	int kaccess = op->code == GM_PAR_KACCESS;
	int writes = kaccess ? a[2] != 0 : a[1] == 1 || a[1] == 3;
	uint64_t len = kaccess ? a[1] : a[3];
	size_t mapped = 0;
	uint8_t *buf = gm_buf_take(len, writes ? (int)(kaccess ? a[3] : a[4]) : 0, &mapped);
	if (buf == NULL) {
		res->rc = -ENOMEM;
		return;
	}
	res->rc = kaccess ? gm_kernel_access(a[0], buf, len, (int)a[2]) : gm_file_io((int)a[0], (int)a[1], (int64_t)a[2], buf, len);
	res->v[0] = res->rc > 0 ? buf[0] : 0;
	gm_buf_give(buf, mapped);
}

static void gm_par_exec(struct gm_par_thread *t, const struct gm_par_op *op, struct gm_par_res *res)
{
	const uint64_t *a = op->a;
	uint8_t vec[64];
	struct gm_stat st = { 0, 0, 0, 0, 0 };
	int mode = -1;
	unsigned long nodes = 0;
	uint64_t i, n;
	switch (op->code) {
	case GM_PAR_LOAD: gm_par_access(t, op, res, 0); break;
	case GM_PAR_STORE: gm_par_access(t, op, res, 1); break;
	case GM_PAR_FALLOCATE: res->rc = gm_fallocate((int)a[0], (int)a[1], (int64_t)a[2], (int64_t)a[3]); break;
	case GM_PAR_MADVISE: res->rc = gm_madvise(a[0], a[1], (int)a[2]); break;
	case GM_PAR_MINCORE:
		n = a[1] > 64 ? 64 : a[1];
		res->rc = gm_mincore(a[0], n, vec);
		for (i = 0; res->rc >= 0 && i < n; i++)
			res->v[0] |= (uint64_t)(vec[i] & 1) << i;
		break;
	case GM_PAR_KACCESS: case GM_PAR_FILEIO: gm_par_buffered(op, res); break;
	case GM_PAR_FSTAT:
		res->rc = gm_fstat((int)a[0], &st);
		res->v[0] = st.size;
		res->v[1] = st.blksize;
		res->v[2] = st.mode;
		break;
	case GM_PAR_MBIND: res->rc = gm_mbind(a[0], a[1], (int)a[2], (unsigned long)a[3], (unsigned)a[4]); break;
	case GM_PAR_GETPOL:
		res->rc = gm_get_mempolicy(a[0], (int)a[1], &mode, &nodes);
		res->v[0] = (uint64_t)(int64_t)mode;
		res->v[1] = nodes;
		break;
	case GM_PAR_UREGISTER: res->rc = gm_uffd_register((int)a[0], a[1], a[2], a[3]); break;
	case GM_PAR_URESOLVE: res->rc = gm_uffd_resolve((int)a[0], (int)a[1], a[2], a[3], (uint8_t)a[4]); break;
	case GM_PAR_CONVERT:
		res->v[0] = a[5]; /* the caller's error_offset going in (SHR-23) */
		res->rc = gm_convert((int)a[0], (int)a[1], a[2], a[3], (int)a[4], &res->v[0]);
		break;
	default: res->rc = 0; break;
	}
}

/* A branch thread: wait at the start gate with the others, then run the branch's ops in order, timing each. */
static void *gm_par_branch(void *arg)
{
	struct gm_par_thread *t = arg;
	struct gm_par_run *r = t->run;
	uint64_t one = 1;
	int i;
	t->slot.tid = (long)syscall(SYS_gettid);
	__atomic_add_fetch(&r->ready, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&r->go, __ATOMIC_ACQUIRE) == 0)
		sched_yield();
	for (i = 0; __atomic_load_n(&r->go, __ATOMIC_ACQUIRE) > 0 && i < r->nops[t->branch]; i++) {
		struct gm_par_res *res = &r->res[t->branch][i];
		res->t0 = gm_par_now();
		gm_par_exec(t, &r->ops[t->branch][i], res);
		res->t1 = gm_par_now();
	}
	if (__atomic_add_fetch(&r->finished, 1, __ATOMIC_ACQ_REL) == r->nbranches && write(r->done_fd, &one, sizeof(one)) < 0) { /* the poll times out instead */ }
	return NULL;
}

/* The thread whose published access faulted: the message's thread id (UFFD_FEATURE_THREAD_ID), else the page and kind (one with no event yet first). */
static struct gm_par_slot *gm_par_owner(struct gm_par_run *r, uint64_t page, int write, long ptid)
{
	struct gm_par_slot *best = NULL;
	int i;
	for (i = 0; i < r->nbranches; i++) {
		struct gm_par_slot *s = &r->threads[i].slot;
		if (!__atomic_load_n(&s->active, __ATOMIC_ACQUIRE) || s->page != page || s->write != write || (ptid != 0 && s->tid != ptid))
			continue;
		if (best == NULL || (best->res->have_event && !s->res->have_event))
			best = s;
	}
	return best;
}

/* Reads one event and answers it as the faulting op asked; a failed answer unregisters the page (which wakes the access). 0 when the uffd misbehaves. */
static int gm_par_serve(struct gm_par_run *r, int uffd)
{
	struct uffd_msg m;
	struct gm_par_slot *s;
	struct gm_par_res *res;
	uint64_t page;
	long rc;
	int how;
	uint8_t fill;
	ssize_t got = read(uffd, &m, sizeof(m));
	if (got != (ssize_t)sizeof(m))
		return got < 0 && errno == EAGAIN;
	if (m.event != UFFD_EVENT_PAGEFAULT)
		return 0;
	page = m.address & ~4095ULL;
	s = gm_par_owner(r, page, (m.flags & UFFD_PAGEFAULT_FLAG_WRITE) != 0, (long)(uint32_t)m.ptid);
	if (s == NULL) {
		gm_uffd_unregister(uffd, page, 4096); /* nobody to answer for: let it finish as without uffd */
		return 1;
	}
	/* The resolve wakes the access, whose thread may then publish its next op in the slot: read the slot first. */
	res = s->res;
	how = s->how;
	fill = s->fill;
	rc = gm_uffd_resolve(uffd, how, page, 4096, fill);
	if (!res->have_event) {
		res->have_event = 1;
		res->flags = m.flags;
		res->page = page;
		res->resolve = rc;
	}
	if (rc < 0 || ++res->events > 8)
		gm_uffd_unregister(uffd, page, 4096);
	return 1;
}

static int gm_par_wait_done(struct gm_par_run *r, int ms)
{
	struct pollfd p = { r->done_fd, POLLIN, 0 };
	int64_t deadline = gm_par_now() + (int64_t)ms * 1000000LL;
	for (;;) {
		int64_t left = (deadline - gm_par_now()) / 1000000LL;
		int n = poll(&p, 1, left > 0 ? (int)left : 0);
		if (n > 0)
			return 1;
		if (n == 0 || errno != EINTR)
			return 0;
	}
}

/* Nobody answered in time: unregister the case's ranges from every uffd (waking every waiter), then make still-blocked pages PROT_NONE. */
static void gm_par_unblock(struct gm_par_run *r, int protect)
{
	int i, j;
	for (i = 0; i < r->nuffds; i++)
		for (j = 0; j < r->nranges; j++)
			gm_uffd_unregister(r->uffds[i], r->ranges[j][0], r->ranges[j][1]);
	for (i = 0; protect && i < r->nbranches; i++) {
		struct gm_par_slot *s = &r->threads[i].slot;
		if (__atomic_load_n(&s->active, __ATOMIC_ACQUIRE)) {
			struct uffdio_range w = { s->page, 4096 };
			mprotect((void *)(uintptr_t)s->page, 4096, PROT_NONE);
			for (j = 0; j < r->nuffds; j++)
				ioctl(r->uffds[j], UFFDIO_WAKE, &w);
		}
	}
}

/* The calling thread is the uffd monitor until every branch has ended (or the time is up). */
static int gm_par_monitor(struct gm_par_run *r)
{
	struct pollfd fds[1 + GM_PAR_MAX_UFFDS];
	int polling[GM_PAR_MAX_UFFDS];
	int64_t deadline = gm_par_now() + (int64_t)r->timeout_ms * 1000000LL;
	int i, n, strays = 0;
	for (i = 0; i < r->nuffds; i++)
		polling[i] = 1;
	for (;;) {
		int64_t left = (deadline - gm_par_now()) / 1000000LL;
		if (left <= 0) {
			if (r->timed_out)
				return 0;
			r->timed_out = 1;
			gm_par_unblock(r, 0);
			deadline = gm_par_now() + 1000000000LL;
			continue;
		}
		fds[0] = (struct pollfd){ r->done_fd, POLLIN, 0 };
		for (i = 0; i < r->nuffds; i++)
			fds[1 + i] = (struct pollfd){ polling[i] && !r->timed_out ? r->uffds[i] : -1, POLLIN, 0 };
		n = poll(fds, 1 + r->nuffds, (int)left);
		if (n < 0 && errno != EINTR)
			return 0;
		if (n <= 0)
			continue;
		if (fds[0].revents & POLLIN)
			return 1;
		for (i = 0; i < r->nuffds; i++) {
			if (fds[1 + i].revents & (POLLERR | POLLHUP | POLLNVAL))
				polling[i] = 0;
			else if ((fds[1 + i].revents & POLLIN) && !gm_par_serve(r, r->uffds[i]) && ++strays > 64)
				polling[i] = 0;
		}
	}
}

static void gm_par_join(struct gm_par_run *r, int started)
{
	int i;
	for (i = 0; i < started; i++)
		pthread_join(r->threads[i].thread, NULL);
	close(r->done_fd);
	r->done_fd = -1;
}

int gm_par_go(struct gm_par_run *r)
{
	int i, b, k, done;
	int64_t first = 0, last = 0;
	r->finished = r->ready = r->go = r->timed_out = r->stuck = r->started = 0;
	memset(r->res, 0, sizeof(r->res));
	r->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (r->done_fd < 0)
		return -errno;
	for (i = 0; i < r->nbranches; i++) {
		r->threads[i] = (struct gm_par_thread){ .run = r, .branch = i };
		if (pthread_create(&r->threads[i].thread, NULL, gm_par_branch, &r->threads[i]) != 0)
			break;
		r->started++;
	}
	if (r->started < r->nbranches) {
		__atomic_store_n(&r->go, -1, __ATOMIC_RELEASE);
		gm_par_join(r, r->started);
		return -EAGAIN;
	}
	while (__atomic_load_n(&r->ready, __ATOMIC_ACQUIRE) < r->nbranches)
		sched_yield();
	__atomic_store_n(&r->go, 1, __ATOMIC_RELEASE);
	done = gm_par_monitor(r);
	if (!done) {
		gm_par_unblock(r, 1);
		done = gm_par_wait_done(r, 100);
	}
	if (!done) {
		r->stuck = 1;
		return 1;
	}
	gm_par_join(r, r->started);
	for (b = 0; b < r->nbranches; b++)
		for (k = 0; k < r->nops[b]; k++) {
			if (first == 0 || r->res[b][k].t0 < first)
				first = r->res[b][k].t0;
			if (r->res[b][k].t1 > last)
				last = r->res[b][k].t1;
		}
	r->wall_ns = last - first;
	return 0;
}

int gm_par_reap(struct gm_par_run *r, int wait_ms)
{
	if (r->done_fd >= 0 && !gm_par_wait_done(r, wait_ms))
		return 0;
	if (r->done_fd >= 0)
		gm_par_join(r, r->started);
	return 1;
}
