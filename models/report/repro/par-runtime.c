// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parallel reproducer's runtime, beside runtime.c: what adapters/native/_internals/parallel.ts
 * does in TypeScript around gm_par.c — where a branch op acts (its mapping's address), the case's
 * uffds and ranges for the monitor, and each result printed in the outcome code of
 * models/report/outcome-code.ts so it can be compared with what the failing run observed. Same
 * layout rule as gm_sys.c: a reproducer embeds only the items it uses. Never compiled on its own.
 */
#include <stdio.h>  /* snprintf */
#include <string.h> /* strcmp */

/* base + offset of a live mapping, or 0 when the handle names no live mapping. */
static uint64_t par_addr(int map, uint64_t offset) { struct map_entry *m = live_map(map); return m == NULL ? 0 : m->base + offset; }

/* The monitor's part of a run: every open uffd, and every live mapping's range (unregistered if nobody answers in time). */
static void par_monitor_setup(struct gm_par_run *r)
{
	r->nuffds = r->nranges = 0;
	for (int i = 0; i < MAX_H && r->nuffds < GM_PAR_MAX_UFFDS; i++) if (uffd_tab[i] >= 0) r->uffds[r->nuffds++] = uffd_tab[i];
	for (int i = 0; i < MAX_H && r->nranges < GM_PAR_MAX_RANGES; i++)
		if (map_tab[i].live) r->ranges[r->nranges][0] = map_tab[i].base, r->ranges[r->nranges++][1] = page_end(&map_tab[i]) - map_tab[i].base;
}

/* One branch op's result in the outcome code; `base` is its mapping's base (accesses). */
static void par_fmt(char *out, size_t n, const struct gm_par_op *op, const struct gm_par_res *x, uint64_t base)
{
	char acc[256], res[128];
	if (x->rc < 0 && op->code == GM_PAR_CONVERT && x->v[0] != ~0ULL) { snprintf(out, n, "errno %s @%llu", errno_name(-x->rc), (unsigned long long)x->v[0]); return; }
	if (x->rc < 0 && op->code != GM_PAR_LOAD && op->code != GM_PAR_STORE) { snprintf(out, n, "errno %s", errno_name(-x->rc)); return; }
	switch (op->code) {
	case GM_PAR_LOAD: case GM_PAR_STORE:
		fmt_access(acc, sizeof(acc), x->access, base, op->code == GM_PAR_STORE);
		if (!x->have_event) { snprintf(out, n, "%s", acc); return; }
		if (x->resolve < 0) snprintf(res, sizeof(res), "errno %s", errno_name(-x->resolve));
		else snprintf(res, sizeof(res), "ok {count:%ld}", x->resolve);
		snprintf(out, n, "uffd w%dm%dp%d %lld (%s) (%s)", (x->flags & UFFD_PAGEFAULT_FLAG_WRITE) != 0, (x->flags & UFFD_PAGEFAULT_FLAG_MINOR) != 0,
			 (x->flags & UFFD_PAGEFAULT_FLAG_WP) != 0, (long long)(x->page - base), res, acc);
		return;
	case GM_PAR_MINCORE:
		snprintf(out, n, "ok [");
		for (uint64_t i = 0; i < op->a[1] && i < 64; i++) snprintf(out + strlen(out), n - strlen(out), "%s%s", i ? "," : "", (x->v[0] >> i) & 1 ? "true" : "false");
		snprintf(out + strlen(out), n - strlen(out), "]");
		return;
	case GM_PAR_KACCESS:
		if (x->rc > 0) snprintf(out, n, "ok {count:%ld,first:%d}", x->rc, (int)x->v[0]);
		else snprintf(out, n, "ok {count:0,first:null}");
		return;
	case GM_PAR_FILEIO:
		if (op->a[1] == 4) snprintf(out, n, "ok {offset:%ld}", x->rc);
		else if (op->a[1] == 5) snprintf(out, n, "ok");
		else snprintf(out, n, "ok {count:%ld}", x->rc);
		return;
	case GM_PAR_FSTAT: snprintf(out, n, "ok {blksize:%llu,mode:%llu,size:%llu}", (unsigned long long)x->v[1], (unsigned long long)x->v[2], (unsigned long long)x->v[0]); return;
	case GM_PAR_GETPOL:
		if (op->a[1] & MPOL_F_NODE) snprintf(out, n, "ok {node:%lld}", (long long)(int64_t)x->v[0]);
		else snprintf(out, n, "ok {mode:%lld,nodes:%llu}", (long long)(int64_t)x->v[0], (unsigned long long)x->v[1]);
		return;
	case GM_PAR_URESOLVE: snprintf(out, n, "ok {count:%ld}", x->rc); return;
	default: snprintf(out, n, "ok"); return;
	}
}
