/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Running branches of ops concurrently (gm_par.c): one thread per branch, released together by a
 * barrier, each op a call of a gm_sys.c wrapper with resolved arguments, timed with
 * CLOCK_MONOTONIC; the calling thread answers userfaults meanwhile, as a uffd monitor would, and
 * bounds every wait. The addon runs parallel cases through it, and every parallel repro.c embeds
 * it, so both issue the same calls the same way. Plain C.
 */
#ifndef GM_PAR_H
#define GM_PAR_H
#include <pthread.h> /* pthread_t */
#include <stdint.h>  /* uint64_t */
#include "gm_sys.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a branch op calls, with its arguments in a[] (see gm_par_exec in gm_par.c). */
enum gm_par_code {
	GM_PAR_NONE = 0, /* nothing to issue: the outcome is known beforehand (a dead handle) */
	GM_PAR_LOAD, GM_PAR_STORE, GM_PAR_FALLOCATE, GM_PAR_MADVISE, GM_PAR_MINCORE, GM_PAR_KACCESS,
	GM_PAR_FILEIO, GM_PAR_FSTAT, GM_PAR_MBIND, GM_PAR_GETPOL, GM_PAR_UREGISTER, GM_PAR_URESOLVE,
	GM_PAR_CONVERT,
};

#define GM_PAR_MAX_BRANCHES 3
#define GM_PAR_MAX_OPS 4
#define GM_PAR_MAX_UFFDS 8
#define GM_PAR_MAX_RANGES 16

struct gm_par_op {
	int code;
	uint64_t a[6];
};

/* One op's result: rc (>= 0 or -errno), values, times, and for an access the fault and userfault. */
struct gm_par_res {
	long rc;
	uint64_t v[3];
	int64_t t0, t1;
	struct gm_access access;
	int have_event;      /* the access raised a userfault: the first one's flags, page and resolve */
	uint64_t flags, page;
	long resolve;
	int events;
};

/* A branch thread's published access, so the monitor knows how to answer its userfault. */
struct gm_par_slot {
	uint64_t page;
	long tid;
	int write, how, active;
	uint8_t fill;
	struct gm_par_res *res;
};

struct gm_par_run;

struct gm_par_thread {
	struct gm_par_run *run;
	int branch;
	pthread_t thread;
	struct gm_par_slot slot;
};

/* A whole run. Heap-owned by the caller, which must keep it alive if gm_par_go reports stuck threads. */
struct gm_par_run {
	int nbranches;
	int nops[GM_PAR_MAX_BRANCHES];
	struct gm_par_op ops[GM_PAR_MAX_BRANCHES][GM_PAR_MAX_OPS];
	struct gm_par_res res[GM_PAR_MAX_BRANCHES][GM_PAR_MAX_OPS];
	int nuffds;
	int uffds[GM_PAR_MAX_UFFDS];
	/* Ranges unregistered from every uffd if nobody answered in time (the case's mappings). */
	int nranges;
	uint64_t ranges[GM_PAR_MAX_RANGES][2];
	int timeout_ms;
	/* Filled by gm_par_go. */
	int timed_out, stuck, started;
	int64_t wall_ns;
	int finished, ready, go, done_fd;
	struct gm_par_thread threads[GM_PAR_MAX_BRANCHES];
};

/* 0 when every branch ended (res filled); -errno when threads could not start; 1 when some stayed stuck. */
int gm_par_go(struct gm_par_run *r);
/* Waits up to wait_ms for the threads of a stuck run; 1 once all ended and were joined (r may then be freed). */
int gm_par_reap(struct gm_par_run *r, int wait_ms);

#ifdef __cplusplus
}
#endif
#endif /* GM_PAR_H */
