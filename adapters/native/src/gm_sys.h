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

/* The kB counts of an smaps entry gm_smaps keeps, in the order of gm_smaps.kb. */
enum gm_smaps_field { GM_SMAPS_RSS, GM_SMAPS_PSS, GM_SMAPS_SHARED_CLEAN, GM_SMAPS_SHARED_DIRTY, GM_SMAPS_PRIVATE_CLEAN, GM_SMAPS_PRIVATE_DIRTY,
	GM_SMAPS_ANONYMOUS, GM_SMAPS_FILE_PMD, GM_SMAPS_LOCKED, GM_SMAPS_NFIELDS };

/* The stable fields of one /proc/self/smaps entry (gm_smaps): the VMA's range, its maps line (perms, file offset, name), the kB counts, THPeligible, the VmFlags line as printed. */
struct gm_smaps { uint64_t start, end, offset; char perms[8]; char name[256]; uint64_t kb[GM_SMAPS_NFIELDS]; int thp; char flags[256]; };
/* The stable fields of one numa_maps line (gm_numa_maps): the VMA's start, the policy text, the escaped file name, the page counts. */
struct gm_numa_maps { uint64_t start; char policy[64]; char file[256]; uint64_t pages, anon, n0; };
#define GM_MOVE_PAGES_MAX 8 /* gm_move_pages: the most pages one call names (spec/vocab/ops-numa.ts MOVE_PAGES_MAX) */

/* What PROCMAP_QUERY copied back (gm_procmap_query): the raw structure as the kernel left it, the name buffer, and whether a build id was asked for. */
struct gm_procmap { uint64_t q[13]; char name[4096]; int bid_asked; }; /* q: the 104 bytes of struct procmap_query */

/* One PAGEMAP_SCAN (gm_pagemap_scan): the argument words as given, and what the kernel wrote back: walk_end and the regions. */
struct gm_pm_scan { uint64_t size, flags, start, end, category_inverted, category_mask, category_anyof_mask, return_mask, vec_len, max_pages; int vec_null; uint64_t walk_end; uint64_t regions[8][3]; };

/* What gm_kvm_stats read from a stats fd: the id string, the first layout check that failed ("ok" if none), bit i set when the file has descriptor GM_KSTATS_KEYS[i], pages_4k / pages_2m + pages_1g (-1 where absent), the extra pread's byte count or -errno, the write's result or -errno. */
struct gm_kstats { char id[64]; char layout[32]; uint32_t has; int64_t pages_small, pages_huge; long read_at, write_rc; };

#define GM_PAGEMAP_NONE 0x200L /* gm_pagemap: the read returned no entry (an address past the user address space); above the 9 flag bits */
#define GM_NO_PIPE (-100000L) /* a harness failure, not a kernel answer: no pipe of the size a pipe-based access needs */
#define GM_NO_RING (-100001L) /* a harness failure, not a kernel answer: no io_uring ring could be set up or mapped */
#define GM_NO_SCRATCH (-100002L) /* a harness failure, not a kernel answer: a scratch file, socket, buffer or child the fd-level ops need could not be made */
#define GM_BAD_ARG (-100003L) /* a harness refusal, not a kernel answer: an argument outside what a wrapper supports (a table index, a length the harness must allocate); nothing was issued */
#define GM_CHILD_LOST (-100004L) /* a harness failure, not a kernel answer: the forked child could not be made, or ended without reporting */
#define GM_CHILD_TIMEOUT (-100005L) /* a harness failure, not a kernel answer: the forked child did not finish in time and was killed */
#define GM_CHILD_SIGNAL (-200000L) /* gm_child: the child took signal s with si_code c: GM_CHILD_SIGNAL - (s * 256 + c) (always below every harness code) */
#define GM_FD_IO_MAX 65536UL /* the longest fd-level transfer (spec/vocab/ops-fd.ts FD_IO_MAX_BYTES): a buffer or scratch file the harness allocates */

/* Every wrapper of gm_sys.c, declared from its definition (scripts/gen-native-glue.ts). */
#include "gm_sys_fns.h"

#ifdef __cplusplus
}
#endif
#endif /* GM_SYS_H */
