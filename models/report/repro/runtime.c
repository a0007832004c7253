// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reproducer's runtime: what adapters/native/_internals does in TypeScript around the shared
 * syscall wrappers of adapters/native/src/gm_sys.c: handle tables, the dead-handle conventions
 * (spec/vocab/CONVENTIONS.md), where ranged ops are issued (addrspace.ts), outcomes printed in the
 * code of models/report/outcome-code.ts, and KTAP. One function per op kind, named op_<kind>, its
 * arguments in the order of the op's declared fields (spec/vocab/render-c.ts); *_placed variants
 * handle ranges that leave their mapping. Same layout rule as gm_sys.c: a reproducer embeds only
 * the items it uses. Never compiled on its own.
 */
#include <stdarg.h> /* va_list */
#include <stdio.h>  /* printf snprintf fopen */
#include <stdlib.h> /* getenv */
#include <string.h> /* strcmp strerrorname_np */

/* Handles per class a reproducer can name. */
#define MAX_H 1024

typedef __int128 i128;

/* Handle tables (spec/vocab/handles.ts): handle -> fd, or -1 for a handle that names nothing. */
static int kvm_fd = -1, vm_tab[MAX_H], fd_tab[MAX_H], uffd_tab[MAX_H], vcpu_tab[MAX_H];

/* Pins (ops-pin.ts): an io_uring ring and its buffer's address, or a pipe's read and write ends; -1 for none. */
static int pin_ring[MAX_H], pin_r[MAX_H], pin_w[MAX_H];

static uint64_t pin_base[MAX_H];

/* A mapping: the base the kernel chose, kept after munmap (a memslot may still name it). */
struct map_entry { uint64_t base, length; int used, live; };

static struct map_entry map_tab[MAX_H];

static int hget(const int *tab, int h) { return h >= 0 && h < MAX_H ? tab[h] : -1; }

static long hset(int *tab, int h, long fd) { if (h >= 0 && h < MAX_H && fd >= 0) tab[h] = (int)fd; return fd; }

static struct map_entry *live_map(int h) { return h >= 0 && h < MAX_H && map_tab[h].live ? &map_tab[h] : NULL; }

static uint64_t page_end(const struct map_entry *m) { return m->base + ((m->length + 4095) & ~4095ULL); }

/* The outcome the last op observed, in the canonical code. */
static char obs[65536];

static __attribute__((format(printf, 1, 2))) const char *obs_set(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt), vsnprintf(obs, sizeof(obs), fmt, ap), va_end(ap);
	return obs;
}

/* errno names as spec/vocab/errno.ts spells them (it follows strerrorname_np). */
static const char *errno_name(long e) { static char b[32]; return strerrorname_np((int)e) ?: (snprintf(b, sizeof(b), "ERRNO_%ld", e), b); }

/* rc < 0 is -errno (the native target's raw convention); otherwise plain ok. */
static const char *obs_rc(long rc) { return rc < 0 ? obs_set("errno %s", errno_name(-rc)) : obs_set("ok"); }

/* A one-byte access's outcome; the signal offset is si_addr minus the mapping's base. */
static void fmt_access(char *out, size_t n, struct gm_access r, uint64_t base, int store)
{
	const char *bus[] = { "OTHER", "OTHER", "BUS_ADRERR", "BUS_OBJERR", "BUS_MCEERR_AR" }, *segv[] = { "OTHER", "SEGV_MAPERR", "SEGV_ACCERR" };
	const char *code = r.sig == SIGBUS ? (r.code >= 0 && r.code <= 4 ? bus[r.code] : "OTHER") : (r.code >= 0 && r.code <= 2 ? segv[r.code] : "OTHER");
	if (r.sig == 0 && store) snprintf(out, n, "ok");
	else if (r.sig == 0) snprintf(out, n, "ok {value:%d}", r.value);
	else snprintf(out, n, "signal %s %s %lld", r.sig == SIGBUS ? "SIGBUS" : "SIGSEGV", code, (long long)(r.addr - base));
}

/* Faults of an armed access unwind (gm_guard_catch); any other fault kills the program as usual. */
static void on_fault(int sig, siginfo_t *si, void *uc) { (void)uc, gm_guard_catch(sig, si), signal(sig, SIG_DFL); }

/* KTAP (Documentation/dev-tools/ktap.rst): one result line per step. */
static const char *indent = "";

static int test_no, failed, skipped;

/* Is the observed outcome one of the allowed ones (a NULL-terminated list)? Prints the KTAP result line. */
static void check(const char *label, const char *desc, const char *observed, const char *const *allowed)
{
	int hit = 0;
	for (int i = 0; allowed[i] != NULL; i++) hit |= strcmp(allowed[i], observed) == 0;
	printf("%s# observed %s %s\n", indent, label, observed);
	for (int i = 0; !hit && allowed[i] != NULL; i++) printf("%s# allowed:  %s\n", indent, allowed[i]);
	failed += !hit;
	printf("%s%s %d step %s: %s\n", indent, hit ? "ok" : "not ok", ++test_no, label, desc);
}

static void step_skip(const char *label, const char *desc, const char *why)
{
	skipped++;
	printf("%sok %d step %s: %s # SKIP %s\n", indent, ++test_no, label, desc, why);
}

static void ktap_begin(const char *ind, int plan)
{
	indent = ind;
	test_no = failed = skipped = 0;
	printf("%sKTAP version 1\n%s1..%d\n", ind, ind, plan);
}

/* Opens /dev/kvm and starts the KTAP output (plan: its number of tests), or says why the program cannot run (exit 4: KSFT_SKIP). */
static void setup(int plan)
{
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER };
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < MAX_H; i++) vm_tab[i] = fd_tab[i] = uffd_tab[i] = vcpu_tab[i] = pin_ring[i] = pin_r[i] = pin_w[i] = -1;
	sigaction(SIGBUS, &sa, NULL), sigaction(SIGSEGV, &sa, NULL);
	if ((kvm_fd = (int)gm_open_kvm()) < 0) printf("KTAP version 1\n1..0 # SKIP cannot open /dev/kvm: %s\n", errno_name(-kvm_fd)), exit(4);
	printf("KTAP version 1\n1..%d\n", plan);
}

/* uffd registrations in order, as the native target keeps them: a munmap drops its map's, an unregister shrinks them. */
struct reg_entry { int uffd, map; uint64_t start, len; };

static struct reg_entry regs[MAX_H];

static int n_regs;

static void regs_drop_map(int map)
{
	int k = 0;
	for (int i = 0; i < n_regs; i++) if (regs[i].map != map) regs[k++] = regs[i];
	n_regs = k;
}

/* [start, start+len) is no longer registered: registrations overlapping it shrink or split. */
static void regs_unregister(uint64_t start, uint64_t len)
{
	struct reg_entry out[MAX_H];
	unsigned __int128 end = (unsigned __int128)start + len;
	int k = 0;
	for (int i = 0; i < n_regs && k < MAX_H; i++) {
		struct reg_entry r = regs[i];
		unsigned __int128 r_end = (unsigned __int128)r.start + r.len;
		if (r_end <= start || r.start >= end) { out[k++] = r; continue; }
		if (r.start < start) { out[k] = r; out[k].len = start - r.start; k++; }
		if (r_end > end && k < MAX_H) { out[k] = r; out[k].start = (uint64_t)end; out[k].len = (uint64_t)(r_end - end); k++; }
	}
	memcpy(regs, out, sizeof(out[0]) * (size_t)k);
	n_regs = k;
}

static struct reg_entry *reg_at(uint64_t addr)
{
	for (int i = 0; i < n_regs; i++) if (addr >= regs[i].start && addr - regs[i].start < regs[i].len) return &regs[i];
	return NULL;
}

/* Everything one sequence created is released, as a native target's close() does. */
static void reset_tables(void)
{
	for (int i = 0; i < MAX_H; i++) {
		if (pin_ring[i] >= 0) gm_uring_unpin(pin_ring[i]);
		if (pin_r[i] >= 0) gm_close(pin_r[i]), gm_close(pin_w[i]);
		pin_ring[i] = pin_r[i] = pin_w[i] = -1;
	}
	for (int i = 0; i < MAX_H; i++) {
		if (map_tab[i].live) gm_munmap(map_tab[i].base, map_tab[i].length);
		map_tab[i].used = map_tab[i].live = 0;
	}
	for (int i = 0; i < MAX_H; i++) if (uffd_tab[i] >= 0) gm_close(uffd_tab[i]);
	for (int i = 0; i < MAX_H; i++) if (fd_tab[i] >= 0) gm_close(fd_tab[i]);
	for (int i = 0; i < MAX_H; i++) if (vcpu_tab[i] >= 0) gm_close(vcpu_tab[i]);
	for (int i = 0; i < MAX_H; i++) if (vm_tab[i] >= 0) gm_close(vm_tab[i]);
	memset(vcpu_tab, -1, sizeof(vcpu_tab));
	memset(vm_tab, -1, sizeof(vm_tab));
	memset(fd_tab, -1, sizeof(fd_tab));
	memset(uffd_tab, -1, sizeof(uffd_tab));
	n_regs = 0;
	gm_set_mempolicy(0, 0);
}

/*
 * Where a range that leaves its mapping is issued (adapters/native/_internals/addrspace.ts): a
 * dead zone, the middle of the largest unmapped gap of user space with 2^41 bytes clear on each
 * side, where the kernel checks the arguments in its own order and then finds no VMA.
 */
static uint64_t dead_zone;

static uint64_t find_dead_zone(void)
{
	char line[512];
	unsigned long s, e;
	i128 prev = (i128)1 << 32, lo = 0, hi = 0, top = (i128)USER_TOP - 4096;
	FILE *f = fopen("/proc/self/maps", "r");
	if (f == NULL) return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%lx-%lx", &s, &e) != 2 || s >= USER_TOP) continue;
		if ((i128)s > prev && (i128)s - prev > hi - lo) { lo = prev; hi = s; }
		if ((i128)e > prev) prev = e;
	}
	fclose(f);
	if (top > prev && top - prev > hi - lo) { lo = prev; hi = top; }
	return hi - lo < ((i128)4 << 41) ? 0 : (uint64_t)((lo + hi) / 2 / ((i128)1 << 30) * ((i128)1 << 30));
}

/* Is nothing mapped in [lo, hi) (clipped to user space)? PROCMAP_QUERY answers; unsupported counts as mapped. */
static int unmapped(i128 lo, i128 hi)
{
	uint64_t s, e;
	long r;
	if (lo < 0) lo = 0;
	if (hi > (i128)USER_TOP) hi = USER_TOP;
	if (lo >= hi) return 1;
	r = gm_next_vma((uint64_t)lo, &s, &e);
	return r == 0 || (r > 0 && (i128)s >= hi);
}

/* direct: as issued; split: the mapping's own pages, then the rest in the dead zone; relocated: all of it there; none: nowhere safe. */
enum place_kind { P_DIRECT, P_SPLIT, P_RELOCATED, P_NONE };

struct place { enum place_kind kind; uint64_t addr, own_len, rest, rest_len; };

static struct place relocate(i128 addr, i128 len)
{
	struct place p = { P_NONE, 0, 0, 0, 0 };
	if (dead_zone == 0 || len >= ((i128)1 << 41) || !unmapped(addr, addr + (len > 0 ? len : 1))) return p;
	return (struct place){ P_RELOCATED, (uint64_t)addr, 0, 0, 0 };
}

/* The placement of [base+off, +len) of the live map m; split: the op acts on mapped parts before a hole (madvise, mincore). */
/* A range whose page-rounded length is 0 or whose end wraps past 2^64 reaches no VMA: it goes as is (addrspace.ts reachesNothing). */
static int reaches_nothing(uint64_t addr, i128 len)
{
	uint64_t rounded = ((uint64_t)len + 4095) & ~4095ULL;
	return rounded == 0 || (i128)addr + (i128)rounded >= (i128)1 << 64;
}

static struct place place_range(const struct map_entry *m, int64_t off, i128 len, int split)
{
	uint64_t addr = m->base + (uint64_t)off, end = page_end(m);
	struct place rest;
	if (reaches_nothing(addr, len) || (addr >= m->base && len >= 0 && (i128)addr + len <= (i128)end) ||
	    (unmapped(addr, (i128)addr + len < (i128)m->base ? (i128)addr + len : (i128)m->base) && unmapped(addr > end ? addr : end, (i128)addr + len)))
		return (struct place){ P_DIRECT, addr, 0, 0, 0 };
	if (split && addr >= m->base && addr < end && dead_zone != 0) {
		rest = relocate(dead_zone, len - (i128)(end - addr));
		if (rest.kind == P_NONE) return rest;
		return (struct place){ P_SPLIT, addr, end - addr, dead_zone, (uint64_t)(len - (i128)(end - addr)) };
	}
	return dead_zone == 0 ? (struct place){ P_NONE, 0, 0, 0, 0 } : relocate((i128)dead_zone + (addr & 4095), len);
}

/* A creation records the new fd under its handle, if it succeeded. */
static const char *op_create_vm(int id, uint64_t type) { return obs_rc(hset(vm_tab, id, gm_ioctl_arg(kvm_fd, KVM_CREATE_VM, type))); }

static const char *op_close_vm(int vm)
{
	long rc = gm_close(hget(vm_tab, vm));
	if (rc == 0) vm_tab[vm] = -1;
	return obs_rc(rc);
}

/* vm -1: on /dev/kvm. */
static const char *op_check_extension(int vm, uint64_t cap)
{
	long rc = gm_ioctl_arg(vm < 0 ? kvm_fd : hget(vm_tab, vm), KVM_CHECK_EXTENSION, cap);
	if (rc < 0) obs_rc(rc); else obs_set("ok %ld", rc);
	return obs;
}

static const char *op_create_vcpu(int vm, int id, uint64_t vcpu_id) { return obs_rc(hset(vcpu_tab, id, gm_create_vcpu(hget(vm_tab, vm), vcpu_id))); }

/* on: 0 a VM, 1 /dev/kvm, 2 a vCPU, 3 a file; arg 0 NULL, 1 a PROT_NONE page of the wrapper's own. */
static const char *op_create_gmem_misuse(int on, int vm, int vcpu, int fd, int arg, uint32_t ioctl_size)
{
	int target = on == 0 ? hget(vm_tab, vm) : on == 1 ? kvm_fd : on == 2 ? hget(vcpu_tab, vcpu) : hget(fd_tab, fd);
	long rc = gm_create_gmem_misuse(target, ioctl_size, arg);
	if (rc <= GM_NO_PIPE) return obs_set("infrastructure: harness code %ld", rc);
	return obs_rc(rc);
}

static const char *op_pre_fault(int vcpu, uint64_t gpa, uint64_t size, uint64_t flags, const uint64_t *padding, int n_padding)
{
	uint64_t g = gpa, s = size;
	long rc = gm_pre_fault_full(hget(vcpu_tab, vcpu), gpa, size, flags, padding, n_padding, &g, &s);
	return rc < 0 ? obs_rc(rc) : obs_set("ok {gpa:%llu,size:%llu}", (unsigned long long)g, (unsigned long long)s);
}

static const char *op_create_gmem(int vm, int id, uint64_t size, uint64_t flags, const uint64_t *reserved, int n_reserved)
{
	return obs_rc(hset(fd_tab, id, gm_create_gmem(hget(vm_tab, vm), size, flags, reserved, n_reserved)));
}

static const char *op_create_memfd(int id, int64_t size) { return obs_rc(hset(fd_tab, id, gm_memfd_create(size))); }

static const char *op_close(int fd)
{
	long rc = gm_close(hget(fd_tab, fd));
	if (rc == 0) fd_tab[fd] = -1;
	return obs_rc(rc);
}

static const char *op_dup(int fd, int id) { return obs_rc(hset(fd_tab, id, gm_dup(hget(fd_tab, fd)))); }

static const char *op_fstat(int fd)
{
	struct gm_stat st;
	long rc = gm_fstat(hget(fd_tab, fd), &st);
	if (rc < 0) obs_rc(rc);
	else obs_set("ok {blksize:%llu,mode:%llu,size:%llu}", (unsigned long long)st.blksize, (unsigned long long)st.mode, (unsigned long long)st.size);
	return obs;
}

static const char *op_fd_flags(int fd)
{
	static const char *const names[] = { "O_RDONLY", "O_WRONLY", "O_RDWR" };
	int acc, cloexec;
	long rc = gm_fd_flags(hget(fd_tab, fd), &acc, &cloexec);
	if (rc < 0) obs_rc(rc);
	else if (acc < 3) obs_set("ok {accmode:%s,cloexec:%s}", names[acc], cloexec ? "true" : "false");
	else obs_set("ok {accmode:O_ACCMODE_%d,cloexec:%s}", acc, cloexec ? "true" : "false");
	return obs;
}

static const char *op_same_inode(int fd, int other)
{
	struct gm_stat a, b;
	long rc = gm_fstat(hget(fd_tab, fd), &a);
	if (rc == 0) rc = gm_fstat(hget(fd_tab, other), &b);
	if (rc < 0) obs_rc(rc); else obs_set("ok %s", a.dev == b.dev && a.ino == b.ino ? "true" : "false");
	return obs;
}

/* call: 0 read, 1 write, 2 pread, 3 pwrite (writes carry value in every byte), 4 lseek, 5 fsync. */
/* The fd-level calls (issue 15): the same wrappers as the native addon; GM_NO_SCRATCH and GM_NO_PIPE are the harness's failures. */
static const char *obs_fd(long rc, const char *ok_fmt)
{
	if (rc == GM_NO_PIPE || rc == GM_NO_SCRATCH) return obs_set("infrastructure: no pipe, socket, scratch file or child for an fd-level call");
	if (rc < 0 || ok_fmt == NULL) return obs_rc(rc);
	return obs_set(ok_fmt, rc);
}

static const char *op_lseek(int fd, int64_t offset, uint32_t whence)
{
	int64_t pos = 0;
	long rc = gm_lseek(hget(fd_tab, fd), offset, whence, &pos);
	return rc < 0 ? obs_rc(rc) : obs_set("ok {offset:%lld}", (long long)pos);
}

static const char *op_file_io_v(int fd, int call, int64_t offset, uint64_t len, int iovcnt, int rwf, int value)
{
	size_t mapped = 0;
	uint8_t *buf = gm_buf_take(len, call % 2 == 1 ? value : 0, &mapped);
	long rc;
	if (buf == NULL) return obs_set("infrastructure: no memory for the I/O buffer");
	rc = gm_file_iov(hget(fd_tab, fd), call, offset, buf, len, iovcnt, call >= 4 ? rwf : 0);
	gm_buf_give(buf, mapped);
	return obs_fd(rc, "ok {count:%ld}");
}

static const char *op_fd_meta(int fd, int call, uint32_t mode)
{
	uint64_t st[3] = { 0, 0, 0 };
	long rc = gm_fd_meta(hget(fd_tab, fd), call, mode, st);
	if (rc < 0 || call != 6) return obs_rc(rc);
	return obs_set("ok {bsize:%llu,namelen:%llu,type:%llu}", (unsigned long long)st[1], (unsigned long long)st[2], (unsigned long long)st[0]);
}

static const char *op_fcntl(int fd, int cmd, uint64_t arg)
{
	long value = 0, rc = gm_fcntl(hget(fd_tab, fd), cmd, arg, &value);
	return rc < 0 ? obs_rc(rc) : obs_set("ok {value:%ld}", value);
}

static const char *op_splice_like(int fd, int call, int64_t offset, uint64_t len, uint32_t flags, int value)
{
	return obs_fd(gm_splice_like(hget(fd_tab, fd), call, offset, len, flags, (uint8_t)value), "ok {count:%ld}");
}

static const char *op_pass_fd(int fd, int id, int cloexec)
{
	long rc = gm_pass_fd(hget(fd_tab, fd), cloexec);
	if (rc == GM_NO_SCRATCH) return obs_fd(rc, NULL);
	return obs_rc(hset(fd_tab, id, rc));
}

static const char *op_fd_reach(int fd, int how)
{
	long rc = gm_fd_reach(hget(fd_tab, fd), how);
	if (how != 3 || rc < 0) return obs_fd(rc, NULL);
	return obs_set(rc ? "ok {open:true}" : "ok {open:false}");
}

static const char *op_fd_dup(int fd, int id, int how)
{
	long rc = gm_fd_dup(hget(fd_tab, fd), how);
	if (rc == GM_NO_SCRATCH) return obs_fd(rc, NULL);
	return obs_rc(hset(fd_tab, id, rc));
}

static const char *op_fd_ioctl(int fd, int64_t req, uint32_t arg)
{
	int64_t value = 0;
	long rc = gm_fd_ioctl(hget(fd_tab, fd), req, arg, &value);
	return rc < 0 ? obs_rc(rc) : obs_set("ok {value:%lld}", (long long)value);
}

static const char *op_fd_advise(int fd, int call, int64_t offset, int64_t len, uint32_t word)
{
	return obs_rc(gm_fd_advise(hget(fd_tab, fd), call, offset, len, word));
}

static const char *op_fd_uring(int fd, int call, int64_t offset, uint64_t len, int rwf, int value)
{
	long rc = gm_fd_uring(hget(fd_tab, fd), call, offset, len, rwf, (uint8_t)value);
	if (rc == GM_NO_RING) return obs_set("infrastructure: no io_uring ring for an fd-level call");
	return rc < 0 ? obs_rc(rc) : obs_set("ok {count:%ld}", rc);
}

static const char *op_path_call(int fd, int call, int64_t arg)
{
	return obs_rc(gm_path_call(hget(fd_tab, fd), call, arg));
}

static const char *op_fd_poll(int fd, int how)
{
	long rc = gm_fd_poll(hget(fd_tab, fd), how);
	if (rc == GM_NO_SCRATCH) return obs_fd(rc, NULL);
	return rc < 0 ? obs_rc(rc) : obs_set("ok {mask:%ld}", rc);
}

static const char *op_file_io(int fd, int call, int64_t offset, uint64_t len, int value)
{
	size_t mapped = 0;
	uint8_t *buf = call >= 4 ? NULL : gm_buf_take(len, call == 1 || call == 3 ? value : 0, &mapped);
	long rc;
	if (call < 4 && buf == NULL) { obs_set("infrastructure: no memory for the I/O buffer"); return obs; }
	rc = gm_file_io(hget(fd_tab, fd), call, offset, buf, len);
	if (rc < 0 || call == 5) obs_rc(rc);
	else if (call == 4) obs_set("ok {offset:%ld}", rc);
	else obs_set("ok {count:%ld}", rc);
	if (buf != NULL) gm_buf_give(buf, mapped);
	return obs;
}

static const char *op_ftruncate(int fd, int64_t size) { return obs_rc(gm_ftruncate(hget(fd_tab, fd), size)); }

static const char *op_fallocate(int fd, int mode, int64_t offset, int64_t len) { return obs_rc(gm_fallocate(hget(fd_tab, fd), mode, offset, len)); }

/*
 * The arena (adapters/native/_internals/addrspace.ts): mappings are hinted into slots below the
 * dead zone with 2 GiB free after each, so a MAP_FIXED over a map and longer than it (op_mmap_ex)
 * covers only free space. A hint the kernel cannot take just lands elsewhere.
 */
static uint64_t arena_lo, arena_next;

static uint64_t arena_hint(uint64_t length)
{
	uint64_t size = (length + 4095) & ~4095ULL, gap = 2ULL << 30;
	if (dead_zone == 0 || size == 0 || size > (1ULL << 36)) return 0;
	if (arena_lo == 0) arena_lo = arena_next = dead_zone - (4ULL << 40);
	if (arena_next + size + gap > dead_zone - (2ULL << 40)) arena_next = arena_lo;
	arena_next += size + gap;
	return arena_next - size - gap;
}

static const char *op_mmap(int fd, int id, uint64_t offset, uint64_t length, uint64_t prot, int shared)
{
	uint64_t base = 0;
	long rc = gm_mmap_ex(hget(fd_tab, fd), (int64_t)offset, length, prot, shared ? MAP_SHARED : MAP_PRIVATE, arena_hint(length), &base);
	if (id >= 0 && id < MAX_H) map_tab[id] = (struct map_entry){ base, length, 1, rc == 0 };
	return obs_rc(rc);
}

/* Tails of maps a shorter MAP_FIXED covered: still mapped, reachable by no handle (ops-mapex.ts). */
struct orphan { uint64_t s, e; };
static struct orphan orphans[MAX_H];
static int n_orphans;

/* Is [lo, hi) covered by orphan tails? */
static int orphaned(uint64_t lo, uint64_t hi)
{
	uint64_t at = lo;
	int moved = 1;
	while (at < hi && moved) {
		moved = 0;
		for (int i = 0; i < n_orphans; i++)
			if (orphans[i].s <= at && orphans[i].e > at) { at = orphans[i].e; moved = 1; }
	}
	return at >= hi;
}

/* May a MAP_FIXED of size bytes at m's base go? Past m's pages only free space and orphan tails. */
static int safe_fixed(const struct map_entry *m, uint64_t size)
{
	uint64_t at = page_end(m), end = m->base + size, s, e;
	long r;
	if (size == 0 || (i128)m->base + size > (i128)USER_TOP - 4096) return 1;
	while (at < end) {
		r = gm_next_vma(at, &s, &e);
		if (r == 0 || (r > 0 && s >= end)) return 1;
		if (r < 0 || !orphaned(s > at ? s : at, e < end ? e : end)) return 0;
		at = e < end ? e : end;
	}
	return 1;
}

/* A MAP_FIXED of size bytes over m happened: orphans it covered are gone, m's uncovered tail is one. */
static void covered(struct map_entry *m, uint64_t size)
{
	uint64_t end = m->base + size;
	int k = 0;
	for (int i = 0; i < n_orphans; i++) {
		if (orphans[i].e <= m->base || orphans[i].s >= end) orphans[k++] = orphans[i];
		else if (orphans[i].e > end && k < MAX_H) orphans[k++] = (struct orphan){ end, orphans[i].e };
	}
	n_orphans = k;
	if (end < page_end(m) && n_orphans < MAX_H) orphans[n_orphans++] = (struct orphan){ end, page_end(m) };
	m->live = 0;
}

/*
 * mmap with the whole flags word (spec/vocab/ops-map.ts): place 0 = anywhere (an arena hint, the
 * fixed bits cleared), 1 = over map `over` (its base). MAP_ANONYMOUS is always cleared. A MAP_FIXED
 * over a map is issued only if what it covers past the map's own pages is free or an orphan tail
 * (or the kernel refuses it before looking); otherwise the program stops: it would unmap memory it
 * does not own.
 */
static const char *op_mmap_ex(int fd, int id, uint64_t offset, uint64_t length, uint64_t prot, uint64_t flags, int place, int over)
{
	struct map_entry *m = place == 1 ? live_map(over) : NULL;
	uint64_t base = 0, size = (length + 4095) & ~4095ULL, at;
	int replaces;
	long rc;
	flags &= ~(uint64_t)(MAP_ANONYMOUS | (m == NULL ? MAP_FIXED | MAP_FIXED_NOREPLACE : 0));
	replaces = m != NULL && (flags & MAP_FIXED) && !(flags & MAP_FIXED_NOREPLACE);
	if (replaces && !safe_fixed(m, size)) {
		printf("Bail out! op_mmap_ex: MAP_FIXED of %llu bytes over map %d would cover memory this program did not map\n", (unsigned long long)length, over);
		exit(4);
	}
	/* Without a fixed bit the map's base is a hint the kernel cannot take: an arena hint keeps the gap. */
	at = m != NULL && (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) ? m->base : arena_hint(length);
	rc = gm_mmap_ex(hget(fd_tab, fd), (int64_t)offset, length, prot, flags, at, &base);
	/* A fixed mapping unmapped the old range first; a refusal by the file's mmap method leaves it unmapped. */
	if (replaces && (rc == 0 || !gm_page_mapped(m->base))) {
		covered(m, size);
		regs_drop_map(over);
	}
	if (id >= 0 && id < MAX_H) map_tab[id] = (struct map_entry){ base, length, 1, rc == 0 };
	return obs_rc(rc);
}

/* A dead map handle is unmapped: munmap of an unmapped range is 0, so the syscall is skipped. */
static const char *op_munmap(int map)
{
	struct map_entry *m = live_map(map);
	long rc = m == NULL ? 0 : gm_munmap(m->base, m->length);
	if (m != NULL && rc == 0) {
		m->live = 0;
		regs_drop_map(map);
	}
	return obs_rc(rc);
}

static const char *op_mprotect(int map, uint64_t prot) { struct map_entry *m = live_map(map); return obs_rc(m == NULL ? -ENOMEM : gm_mprotect(m->base, m->length, prot)); }

/* A one-byte access inside the mapping, with no uffd registration anywhere in the case. */
static const char *access_at(int map, int64_t offset, int store, int value)
{
	struct map_entry *m = live_map(map);
	if (m == NULL) obs_set("signal SIGSEGV SEGV_MAPERR %lld", (long long)offset);
	else fmt_access(obs, sizeof(obs), gm_guarded_access((uint8_t *)(uintptr_t)(m->base + (uint64_t)offset), store, (uint8_t)value), m->base, store);
	return obs;
}

static const char *op_load(int map, int64_t offset, int how, int fill) { return (void)how, (void)fill, access_at(map, offset, 0, 0); }

/*
 * fork(), then one action in the child (kind 0 load, 1 store, 2 fallocate, 3 ftruncate, 4 a VM
 * ioctl), as the native target's ops-child.ts: a dead map or an offset past the mapping is not
 * issued (SIGSEGV MAPERR); a child that does not report in 10 s is killed (a harness failure).
 */
static const char *op_child(int kind, int map, int64_t offset, int value, int fd, int mode, int64_t len, int64_t size, int vm)
{
	struct map_entry *m = kind <= 1 ? live_map(map) : NULL;
	uint64_t addr = m == NULL ? 0 : m->base + (uint64_t)offset;
	long rc;
	if (kind <= 1 && (m == NULL || offset < 0 || addr >= page_end(m))) return obs_set("signal SIGSEGV SEGV_MAPERR %lld", (long long)offset);
	rc = kind <= 1 ? gm_child(kind, addr, value, -1, 0, 0, 0, 10000)
		: kind == 2 ? gm_child(2, 0, 0, hget(fd_tab, fd), mode, offset, len, 10000)
		: kind == 3 ? gm_child(3, 0, 0, hget(fd_tab, fd), 0, size, 0, 10000)
		: gm_child(4, 0, 0, hget(vm_tab, vm), 0, 0, 3 /* KVM_CAP_USER_MEMORY */, 10000);
	if (rc == GM_CHILD_LOST || rc == GM_CHILD_TIMEOUT || rc == GM_BAD_ARG) return obs_set("harness failure %ld", rc);
	if (rc <= GM_CHILD_SIGNAL) {
		long s = GM_CHILD_SIGNAL - rc;
		struct gm_access r = { .sig = (int)(s >> 8), .code = (int)(s & 0xff), .addr = addr };
		fmt_access(obs, sizeof(obs), r, m->base, 0);
		return obs;
	}
	if (kind == 0) return obs_set("ok {value:%ld}", rc);
	if (kind == 4 && rc >= 0) return obs_set("ok %ld", rc);
	return obs_rc(rc);
}

static const char *op_store(int map, int64_t offset, int value, int how, int fill) { return (void)how, (void)fill, access_at(map, offset, 1, value); }

/* Any one-byte access (adapters/native/_internals/ops-access.ts): past the mapping, or on a registered range. */
static const char *access_any(int map, int64_t offset, int store, int value, int how, int fill)
{
	struct map_entry *m = live_map(map);
	uint64_t addr = m == NULL ? 0 : m->base + (uint64_t)offset;
	struct reg_entry *reg = m == NULL ? NULL : reg_at(addr);
	struct gm_uffd_access u;
	char acc[256], res[128];
	if (m != NULL && (addr < m->base || addr >= page_end(m))) {
		/* Past the mapping: only a load, and only where nothing is mapped (it must fault SEGV_MAPERR). */
		struct gm_access r = addr >= USER_TOP || gm_page_mapped(addr) ? (struct gm_access){ 0, 0, 0, 0 } : gm_guarded_access((uint8_t *)(uintptr_t)addr, 0, 0);
		if (r.sig != 0) fmt_access(obs, sizeof(obs), r, m->base, 0);
		else obs_set("signal SIGSEGV SEGV_MAPERR %lld", (long long)offset);
		return obs;
	}
	if (reg == NULL) { access_at(map, offset, store, value); return obs; }
	gm_access_uffd((uint8_t *)(uintptr_t)addr, store, (uint8_t)value, hget(uffd_tab, reg->uffd), how, (uint8_t)fill, UFFD_TIMEOUT_MS,
		       reg->start, reg->len, &u);
	if (u.unreg_len != 0) regs_unregister(u.unreg_start, u.unreg_len);
	if (!u.done || u.timed_out) { obs_set("infrastructure: userfault not answered within %d ms", UFFD_TIMEOUT_MS); return obs; }
	fmt_access(acc, sizeof(acc), u.access, m->base, store);
	if (!u.have_event) { obs_set("%s", acc); return obs; }
	if (u.resolve < 0) snprintf(res, sizeof(res), "errno %s", errno_name(-u.resolve));
	else snprintf(res, sizeof(res), "ok {count:%ld}", u.resolve);
	obs_set("uffd w%dm%dp%d %lld (%s) (%s)", (u.flags & UFFD_PAGEFAULT_FLAG_WRITE) != 0, (u.flags & UFFD_PAGEFAULT_FLAG_MINOR) != 0,
		(u.flags & UFFD_PAGEFAULT_FLAG_WP) != 0, (long long)(u.page - m->base), res, acc);
	return obs;
}

static const char *op_load_any(int map, int64_t offset, int how, int fill) { return access_any(map, offset, 0, 0, how, fill); }

static const char *op_store_any(int map, int64_t offset, int value, int how, int fill) { return access_any(map, offset, 1, value, how, fill); }

/* A ranged call (madvise, msync) placed: a split range runs on the mapping's own pages first (the kernel acts on them too), then on the rest. */
static const char *range_placed(int map, int64_t offset, uint64_t length, int x, long (*call)(uint64_t, uint64_t, int))
{
	struct map_entry *m = live_map(map);
	struct place p;
	long rc;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	p = place_range(m, offset, length, 1);
	if (p.kind == P_NONE) rc = -ENOMEM;
	else if (p.kind != P_SPLIT) rc = call(p.addr, length, x);
	else if ((rc = call(p.addr, p.own_len, x)) >= 0) rc = call(p.rest, p.rest_len, x);
	return obs_rc(rc);
}

/* mlock (call 0), mlock2 with flags (1), munlock (2) of [base+off, +len). */
static const char *op_mlock(int map, int64_t offset, uint64_t length, int call, unsigned flags)
{
	struct map_entry *m = live_map(map);
	uint64_t in_page = (uint64_t)offset & 4095;
	return obs_rc(m == NULL ? -EFAULT : gm_mlock(m->base + (uint64_t)offset - in_page, length + in_page, call, flags));
}

/* A range past the mapping: the kernel locks the mapping's part and stops at the hole without populating (ops-mm.ts mlock). */
static const char *op_mlock_placed(int map, int64_t offset, uint64_t length, int call, unsigned flags)
{
	struct map_entry *m = live_map(map);
	struct place p;
	long rc;
	uint64_t in_page = (uint64_t)offset & 4095;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	/* do_mlock rounds the start down and adds what it dropped to the length first (ops-mm.ts mlock). */
	offset -= (int64_t)in_page, length += in_page;
	p = place_range(m, offset, length, 1);
	if (p.kind == P_NONE) rc = -ENOMEM;
	else if (p.kind != P_SPLIT) rc = gm_mlock(p.addr, length, call, flags);
	else if ((rc = call == 1 && (flags & ~1U) ? gm_mlock(p.addr, p.own_len, call, flags) : gm_mlock(p.addr, p.own_len, call == 2 ? 2 : 1, 1)) >= 0) rc = gm_mlock(p.rest, p.rest_len, call, flags);
	return obs_rc(rc);
}

static const char *op_msync(int map, int64_t offset, uint64_t length, int flags) { struct map_entry *m = live_map(map); return obs_rc(m == NULL ? -EFAULT : gm_msync(m->base + (uint64_t)offset, length, flags)); }

static const char *op_msync_placed(int map, int64_t offset, uint64_t length, int flags) { return range_placed(map, offset, length, flags, gm_msync); }

/* Dead map handles (spec/vocab/CONVENTIONS.md): the ranged ops are not issued and answer EFAULT. */
static const char *op_madvise(int map, int64_t offset, uint64_t length, int advice) { struct map_entry *m = live_map(map); return obs_rc(m == NULL ? -EFAULT : gm_madvise(m->base + (uint64_t)offset, length, advice)); }

static const char *op_madvise_placed(int map, int64_t offset, uint64_t length, int advice) { return range_placed(map, offset, length, advice, gm_madvise); }

/* prctl(PR_SET_VMA_ANON_NAME) over a map range with one of the four fixed names of gm_set_vma_name (dead map: EFAULT, not issued). */
static const char *op_set_vma_name(int map, int64_t offset, uint64_t length, int name) { struct map_entry *m = live_map(map); return obs_rc(m == NULL ? -EFAULT : gm_set_vma_name(m->base + (uint64_t)offset, length, name)); }

static const char *op_set_vma_name_placed(int map, int64_t offset, uint64_t length, int name) { return range_placed(map, offset, length, name, gm_set_vma_name); }

static void mincore_at(uint64_t addr, uint64_t pages)
{
	size_t mapped, at;
	uint8_t *vec = gm_buf_take(pages, 0, &mapped);
	long rc = vec == NULL ? -ENOMEM : gm_mincore(addr, pages, vec);
	if (rc < 0) obs_rc(rc);
	else {
		at = (size_t)snprintf(obs, sizeof(obs), "ok [");
		for (uint64_t i = 0; i < pages && at + 8 < sizeof(obs); i++) at += (size_t)snprintf(obs + at, sizeof(obs) - at, "%s%s", i ? "," : "", (vec[i] & 1) ? "true" : "false");
		snprintf(obs + at, sizeof(obs) - at, "]");
	}
	if (vec != NULL) gm_buf_give(vec, mapped);
}

static const char *op_mincore(int map, int64_t offset, int pages)
{
	struct map_entry *m = live_map(map);
	if (m == NULL) obs_rc(-EFAULT); else mincore_at(m->base + (uint64_t)offset, (uint64_t)pages);
	return obs;
}

static const char *op_mincore_placed(int map, int64_t offset, int pages)
{
	struct map_entry *m = live_map(map);
	struct place p;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	p = place_range(m, offset, (i128)pages * 4096, 1);
	if (p.kind == P_NONE) obs_rc(-ENOMEM);
	else if (p.kind != P_SPLIT) mincore_at(p.addr, (uint64_t)pages);
	else if (mincore_at(p.addr, (p.own_len + 4095) / 4096), strncmp(obs, "ok", 2) == 0) mincore_at(p.rest, (p.rest_len + 4095) / 4096);
	return obs;
}

/* ok {exclusive,file,guard,present,swap,uffdWp} from gm_pagemap's flag bits 55..63 (soft-dirty, bit 0 here, is not reported). */
static void pagemap_at(uint64_t addr)
{
	long r = gm_pagemap(addr);
#define PM_BIT(n) (((r >> ((n) - 55)) & 1) ? "true" : "false")
	if (r < 0) obs_rc(r);
	else if (r == GM_PAGEMAP_NONE) obs_set("ok null");
	else obs_set("ok {exclusive:%s,file:%s,guard:%s,present:%s,swap:%s,uffdWp:%s}", PM_BIT(56), PM_BIT(61), PM_BIT(58), PM_BIT(63), PM_BIT(62), PM_BIT(57));
#undef PM_BIT
}

static const char *op_pagemap(int map, int64_t offset)
{
	struct map_entry *m = live_map(map);
	if (m == NULL) obs_rc(-EFAULT); else pagemap_at(m->base + (uint64_t)offset);
	return obs;
}

static const char *op_pagemap_placed(int map, int64_t offset)
{
	struct map_entry *m = live_map(map);
	struct place p;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	p = place_range(m, offset, 1, 0);
	if (p.kind == P_NONE) obs_rc(-EFAULT); else pagemap_at(p.addr);
	return obs;
}

/* The smaps outcome of spec/vocab/ops-observe.ts: map-relative range, kB counts, VmFlags kept to VM_FLAG_LETTERS in that order. */
static void smaps_at(const struct map_entry *m, uint64_t addr)
{
	static const char *const letters[] = { "rd", "wr", "ex", "sh", "mr", "mw", "me", "ms", "lo", "sr", "rr", "dc", "dd", "hg", "nh", "mg", "um", "uw", "ui" };
	struct gm_smaps s;
	char flags[128] = "";
	size_t at = 0, i;
	long r = gm_smaps(addr, &s);
	if (r < 0) { obs_rc(r); return; }
	if (r == 0) { obs_set("ok null"); return; }
	for (i = 0; i < sizeof letters / sizeof letters[0]; i++) {
		const char *t;
		for (t = s.flags; (t = strstr(t, letters[i])) != NULL; t += 2)
			if ((t == s.flags || t[-1] == ' ') && (t[2] == ' ' || t[2] == 0 || t[2] == '\n')) break;
		if (t != NULL) at += (size_t)snprintf(flags + at, sizeof flags - at, "%s%s", at ? "," : "", letters[i]);
	}
	obs_set("ok {anonymous:%llu,end:%lld,filePmdMapped:%llu,flags:[%s],locked:%llu,name:%s,offset:%llu,perms:%s,private:%llu,pss:%llu,rss:%llu,shared:%llu,start:%lld,thpEligible:%d}",
		(unsigned long long)s.kb[GM_SMAPS_ANONYMOUS], (long long)(s.end - m->base), (unsigned long long)s.kb[GM_SMAPS_FILE_PMD], flags,
		(unsigned long long)s.kb[GM_SMAPS_LOCKED], s.name, (unsigned long long)s.offset, s.perms,
		(unsigned long long)(s.kb[GM_SMAPS_PRIVATE_CLEAN] + s.kb[GM_SMAPS_PRIVATE_DIRTY]),
		(unsigned long long)s.kb[GM_SMAPS_PSS], (unsigned long long)s.kb[GM_SMAPS_RSS],
		(unsigned long long)(s.kb[GM_SMAPS_SHARED_CLEAN] + s.kb[GM_SMAPS_SHARED_DIRTY]), (long long)(s.start - m->base), s.thp);
}

static const char *op_smaps(int map, int64_t offset)
{
	struct map_entry *m = live_map(map);
	if (m == NULL) obs_rc(-EFAULT); else smaps_at(m, m->base + (uint64_t)offset);
	return obs;
}

static const char *op_smaps_placed(int map, int64_t offset)
{
	struct map_entry *m = live_map(map);
	struct place p;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	p = place_range(m, offset, 1, 0);
	if (p.kind == P_NONE) obs_rc(-EFAULT); else smaps_at(m, p.addr);
	return obs;
}

/* ok {flags,link,pos}: /proc/self/fdinfo/N and the fd's link (a closed handle passes fd -1: ENOENT). */
static const char *op_fd_info(int fd)
{
	int64_t pos;
	long flags;
	char link[512];
	long rc = gm_fd_info(hget(fd_tab, fd), &pos, &flags, link, sizeof link);
	if (rc < 0) return obs_rc(rc);
	return obs_set("ok {flags:%ld,link:%s,pos:%lld}", flags, link, (long long)pos);
}

/*
 * PROCMAP_QUERY (spec/vocab/ops-procobs.ts): ok elsewhere (the VMA found does not overlap the map),
 * or the record with null where size cut a field off (words 3..7; build_id_size is the high half
 * of word 10), buildIdSize skipped where gm_procmap_query did not ask.
 */
static void procmap_at(const struct map_entry *m, uint64_t addr, uint64_t size, uint64_t flags, uint32_t name_size, int build_id, int tail)
{
	struct gm_procmap out;
	char f[5][24], bid[24];
	long rc = gm_procmap_query(addr, size, flags, name_size, build_id, tail, &out);
	int i;
	if (rc < 0) { obs_rc(rc); return; }
	if (size < 40) { obs_set("ok {buildIdSize:null,end:null,flags:null,name:null,offset:null,pageSize:null,start:null}"); return; }
	if (out.q[4] <= m->base || out.q[3] >= page_end(m)) { obs_set("ok elsewhere"); return; }
	for (i = 0; i < 5; i++) {
		uint64_t w = out.q[3 + i] - (i < 2 ? m->base : 0);
		if (size >= (uint64_t)(8 * (4 + i))) snprintf(f[i], sizeof f[i], i < 2 ? "%lld" : "%llu", (long long)w); else snprintf(f[i], sizeof f[i], "null");
	}
	if (size < 88) snprintf(bid, sizeof bid, "null");
	else if (build_id == 1 && !out.bid_asked) snprintf(bid, sizeof bid, "skipped");
	else snprintf(bid, sizeof bid, "%u", (unsigned)(out.q[10] >> 32));
	obs_set("ok {buildIdSize:%s,end:%s,flags:%s,name:%s,offset:%s,pageSize:%s,start:%s}", bid, f[1], f[2],
		size >= 96 && name_size != 0 ? out.name : "null", f[4], f[3], f[0]);
}

static const char *op_procmap_query(int map, int64_t offset, uint64_t size, uint64_t flags, uint32_t name_size, int build_id, int tail)
{
	struct map_entry *m = live_map(map);
	if (m == NULL) obs_rc(-EFAULT); else procmap_at(m, m->base + (uint64_t)offset, size, flags, name_size, build_id, tail);
	return obs;
}

static const char *op_procmap_query_placed(int map, int64_t offset, uint64_t size, uint64_t flags, uint32_t name_size, int build_id, int tail)
{
	struct map_entry *m = live_map(map);
	struct place p;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	p = place_range(m, offset, 1, 0);
	if (p.kind == P_NONE) obs_rc(-EFAULT); else procmap_at(m, p.addr, size, flags, name_size, build_id, tail);
	return obs;
}

/* PAGEMAP_SCAN over [a->start, a->end) as the kernel sees it: regions and walk_end map-relative; cut: the end was cut at the map's end (walk_end there reads as the end asked for). */
static void pagemap_scan_at(struct gm_pm_scan *a, int64_t offset, uint64_t full_end_rel, int cut)
{
	char regions[512] = "";
	size_t at = 0;
	long rc = gm_pagemap_scan(a), i;
	int64_t shift = offset - (int64_t)a->start;
	if (rc == GM_BAD_ARG) { obs_set("infrastructure: the scan's vec_len exceeds the region buffer"); return; }
	if (rc < 0) { obs_rc(rc); return; }
	for (i = 0; i < rc && i < 8; i++)
		at += (size_t)snprintf(regions + at, sizeof regions - at, "%s[%lld,%lld,%llu]", i ? "," : "",
			(long long)((int64_t)a->regions[i][0] + shift), (long long)((int64_t)a->regions[i][1] + shift), (unsigned long long)a->regions[i][2]);
	obs_set("ok {regions:[%s],walkEnd:%lld}", regions, cut && a->walk_end == a->end ? (long long)full_end_rel : (long long)((int64_t)a->walk_end + shift));
}

static void scan_args(struct gm_pm_scan *a, uint64_t size, uint64_t flags, uint64_t inv, uint64_t mask, uint64_t anyof, uint64_t ret, int vec_null, uint64_t vec_len, uint64_t max_pages)
{
	a->size = size, a->flags = flags, a->category_inverted = inv, a->category_mask = mask, a->category_anyof_mask = anyof, a->return_mask = ret;
	a->vec_null = vec_null, a->vec_len = vec_len, a->max_pages = max_pages;
}

static const char *op_pagemap_scan(int map, int64_t offset, int pages, int end_extra, uint64_t size, uint64_t flags, uint64_t inv, uint64_t mask, uint64_t anyof, uint64_t ret, int vec_null, uint64_t vec_len, uint64_t max_pages)
{
	struct map_entry *m = live_map(map);
	struct gm_pm_scan a;
	uint64_t len = (uint64_t)pages * 4096 + (uint64_t)end_extra;
	if (m == NULL) return obs_rc(-EFAULT);
	scan_args(&a, size, flags, inv, mask, anyof, ret, vec_null, vec_len, max_pages);
	a.start = m->base + (uint64_t)offset, a.end = a.start + len;
	pagemap_scan_at(&a, offset, 0, 0);
	return obs;
}

/* As the native target places it (adapters/native/_internals/ops-procobs.ts): a start inside the map is cut at its end, else relocated. */
static const char *op_pagemap_scan_placed(int map, int64_t offset, int pages, int end_extra, uint64_t size, uint64_t flags, uint64_t inv, uint64_t mask, uint64_t anyof, uint64_t ret, int vec_null, uint64_t vec_len, uint64_t max_pages)
{
	struct map_entry *m = live_map(map);
	struct gm_pm_scan a;
	struct place p;
	uint64_t len = (uint64_t)pages * 4096 + (uint64_t)end_extra, asked;
	if (m == NULL) return obs_rc(-EFAULT);
	scan_args(&a, size, flags, inv, mask, anyof, ret, vec_null, vec_len, max_pages);
	asked = m->base + (uint64_t)offset;
	p = place_range(m, offset, (i128)len, 0);
	if (p.kind == P_DIRECT) a.start = p.addr, a.end = p.addr + len;
	else if (asked >= m->base && asked < page_end(m)) {
		a.start = asked, a.end = page_end(m);
		pagemap_scan_at(&a, offset, (uint64_t)offset + ((len + 4095) & ~4095ULL), 1);
		return obs;
	} else if (p.kind == P_RELOCATED) a.start = p.addr, a.end = p.addr + len;
	else return obs_rc(-EFAULT);
	pagemap_scan_at(&a, offset, 0, 0);
	return obs;
}

/* /proc/self/map_files of the VMA holding addr: ok {link} for readlink (how 0), ok for an open. */
static void map_files_at(uint64_t addr, int how)
{
	char link[512];
	long rc = gm_map_files(addr, how, link, sizeof link);
	if (rc < 0) obs_rc(rc); else if (how == 0) obs_set("ok {link:%s}", link); else obs_set("ok");
}

static const char *op_map_files(int map, int64_t offset, int how)
{
	struct map_entry *m = live_map(map);
	if (m == NULL) obs_rc(-EFAULT); else map_files_at(m->base + (uint64_t)offset, how);
	return obs;
}

static const char *op_map_files_placed(int map, int64_t offset, int how)
{
	struct map_entry *m = live_map(map);
	struct place p;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	p = place_range(m, offset, 1, 0);
	if (p.kind == P_NONE) obs_rc(-EFAULT); else map_files_at(p.addr, how);
	return obs;
}

/* ok {count,first} from a count (or -errno) and the first byte moved; GM_NO_PIPE is the harness's failure. */
static void count_first(long rc, int first)
{
	if (rc == GM_NO_PIPE) obs_set("infrastructure: no pipe large enough");
	else if (rc < 0) obs_rc(rc);
	else if (rc > 0) obs_set("ok {count:%ld,first:%d}", rc, first);
	else obs_set("ok {count:0,first:null}");
}

/* call: KERNEL_ACCESS_CALL (gm_kernel_access_call); own: the part of the range the mapping holds. */
static void kernel_access_at(int call, uint64_t addr, uint64_t len, uint64_t own, int value)
{
	int first;
	long rc = gm_kernel_access_call(call, addr, len, own, (uint8_t)value, &first);
	count_first(rc, first);
}

static const char *op_kernel_access(int map, int64_t offset, int len, int call, int value)
{
	struct map_entry *m = live_map(map);
	if (m == NULL) obs_rc(-EFAULT); else kernel_access_at(call, m->base + (uint64_t)offset, (uint64_t)len, (uint64_t)len, value);
	return obs;
}

/* What each call answers when it reaches nothing (2, 3: /proc/self/mem). */
static long access_none(int call) { return call == 2 || call == 3 ? -EIO : -EFAULT; }

/* The reading twin of a call that writes memory (1, 3, 5, 7): what is issued in the dead zone. */
static int reading_twin(int call) { return call == 1 ? 0 : call == 3 ? 2 : call == 5 ? 6 : call == 7 ? 8 : call; }

/* A split range is issued on the mapping's own part (the kernel stops at the hole after it); in the dead zone only reading calls go. */
static const char *op_kernel_access_placed(int map, int64_t offset, int len, int call, int value)
{
	struct map_entry *m = live_map(map);
	struct place p;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	p = place_range(m, offset, len, 1);
	if (p.kind == P_NONE) obs_rc(access_none(call));
	else kernel_access_at(p.kind == P_RELOCATED ? reading_twin(call) : call, p.addr, (uint64_t)len, p.kind == P_SPLIT ? p.own_len : (uint64_t)len, value);
	return obs;
}

/* op: FUTEX_OP (spec/vocab/ops.ts), passed as the raw op word. */
static const char *op_futex(int map, int64_t offset, int op, uint32_t value)
{
	struct map_entry *m = live_map(map);
	long rc = m == NULL ? -EFAULT : gm_futex(m->base + (uint64_t)offset, op, value);
	if (rc < 0) obs_rc(rc); else obs_set("ok {woken:%ld}", rc);
	return obs;
}

/* A word with nowhere safe to go is issued at its in-page offset of page 0, which nothing maps. */
static const char *op_futex_placed(int map, int64_t offset, int op, uint32_t value)
{
	struct map_entry *m = live_map(map);
	struct place p;
	long rc;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	p = place_range(m, offset, 4, 0);
	rc = gm_futex(p.kind == P_NONE || p.kind == P_SPLIT ? (uint64_t)offset & 4095 : p.addr, op, value);
	if (rc < 0) obs_rc(rc); else obs_set("ok {woken:%ld}", rc);
	return obs;
}

/* The O_DIRECT scratch file (an unlinked O_TMPFILE in $GMEMCHECK_SCRATCH_DIR, $TMPDIR or /tmp), opened at first use. */
static int dio_fd = -1;

static void direct_io_at(uint64_t addr, uint64_t len, int write, int value)
{
	int first;
	long rc;
	if (dio_fd < 0) dio_fd = (int)gm_dio_scratch(getenv("GMEMCHECK_SCRATCH_DIR") ?: getenv("TMPDIR") ?: "/tmp");
	if (dio_fd < 0) { obs_set("infrastructure: no O_DIRECT scratch file (%s)", errno_name(-dio_fd)); dio_fd = -1; return; }
	if (len == 0) { obs_set("ok {count:0,first:null}"); return; }
	rc = gm_direct_io(dio_fd, addr, len, write, (uint8_t)value, &first);
	count_first(rc, first);
}

static const char *op_direct_io(int map, int64_t offset, int len, int write, int value)
{
	struct map_entry *m = live_map(map);
	if (m == NULL) obs_rc(-EFAULT); else direct_io_at(m->base + (uint64_t)offset, (uint64_t)len, write, value);
	return obs;
}

/*
 * An aligned request running past the mapping moves the mapping's own pages, then fails on the hole
 * (its own part, then the rest in the dead zone, whose answer wins); anything else leaving the
 * mapping goes whole to the dead zone, where nothing is mapped (ops-kernel.ts directIo).
 */
static const char *op_direct_io_placed(int map, int64_t offset, int len, int write, int value)
{
	struct map_entry *m = live_map(map);
	int aligned = (((uint64_t)offset | (uint64_t)len) & 511) == 0;
	struct place p;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	if (len == 0) { obs_set("ok {count:0,first:null}"); return obs; }
	p = place_range(m, offset, len, aligned);
	if (p.kind == P_NONE) obs_rc(-EFAULT);
	else if (p.kind != P_SPLIT) {
		/* A misaligned buffer starting in the mapping is pinned up to the hole before the I/O fails: fault those pages in as that pin would. */
		uint64_t a = m->base + (uint64_t)offset;
		if (p.kind == P_RELOCATED && !aligned && len % 512 == 0 && a >= m->base && a < page_end(m))
			gm_madvise(a & ~4095ULL, page_end(m) - (a & ~4095ULL), write ? MADV_POPULATE_READ : MADV_POPULATE_WRITE);
		direct_io_at(p.addr, (uint64_t)len, write, value);
	}
	else if (direct_io_at(p.addr, p.own_len, write, value), strncmp(obs, "ok", 2) == 0) direct_io_at(p.rest, p.rest_len, 1, value);
	return obs;
}

/* uaddr kind: 0 a map's base + offset (a never-mapped map: the offset itself), 1 NULL, 2 unaligned.
 * gmem kind: 0 an fd handle, 1 a VM handle's fd, 2 /dev/kvm, 3 an fd number nothing has open. */
static const char *op_set_memory_region(int vm, int v1, uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size, int ukind, int map,
				 int64_t uoff, int gkind, int gfd, int gvm, uint64_t gmem_offset)
{
	uint64_t uaddr = ukind == 1 ? 0 : ukind == 2 ? UNALIGNED_UADDR : map >= 0 && map < MAX_H && map_tab[map].used ? map_tab[map].base + (uint64_t)uoff : (uint64_t)uoff;
	/* gkind 4: an O_PATH descriptor of the fd's file, open for the call only (SLOT-21). */
	long path = gkind == 4 ? gm_open_path(hget(fd_tab, gfd)) : -1;
	int gmem = gkind == 0 ? hget(fd_tab, gfd) : gkind == 1 ? hget(vm_tab, gvm) : gkind == 2 ? kvm_fd : path >= 0 ? (int)path : NOT_OPEN_FD;
	long rc = gm_set_memory_region(hget(vm_tab, vm), v1, slot, flags, gpa, size, uaddr, (uint32_t)gmem, gmem_offset);
	if (path >= 0) gm_close((int)path);
	return obs_rc(rc);
}

static const char *op_mbind(int map, int64_t offset, uint64_t length, uint64_t mode, uint64_t nodes, uint32_t flags) { struct map_entry *m = live_map(map); return obs_rc(m == NULL ? -EFAULT : gm_mbind(m->base + (uint64_t)offset, length, mode, nodes, flags)); }

/*
 * mbind checks the range for holes before it changes anything, unless the mode tolerates them
 * (MPOL_DEFAULT): a range running into another VMA is first issued whole in the dead zone, and
 * only if that is accepted is the mapping's own part issued for real.
 */
static const char *op_mbind_placed(int map, int64_t offset, uint64_t length, uint64_t mode, uint64_t nodes, uint32_t flags)
{
	struct map_entry *m = live_map(map);
	struct place p, whole;
	long rc;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	p = place_range(m, offset, length, 1);
	if (p.kind != P_SPLIT) { obs_rc(p.kind == P_NONE ? -EFAULT : gm_mbind(p.addr, length, mode, nodes, flags)); return obs; }
	if (((int)mode & ~(7 << 13)) == 0) { obs_rc(gm_mbind(p.addr, p.own_len, mode, nodes, flags)); return obs; }
	whole = place_range(m, offset, length, 0);
	rc = whole.kind == P_NONE ? -EFAULT : gm_mbind(whole.addr, length, mode, nodes, flags);
	return obs_rc(rc < 0 ? rc : gm_mbind(p.addr, p.own_len, mode, nodes, flags));
}

static void get_mempolicy_at(uint64_t addr, int query)
{
	int mode = -1;
	unsigned long nodes = 0;
	long rc = gm_get_mempolicy(addr, query, &mode, &nodes);
	if (rc < 0) obs_rc(rc);
	else if (query & MPOL_F_NODE) obs_set("ok {node:%d}", mode);
	else obs_set("ok {mode:%d,nodes:%lu}", mode, nodes);
}

/* query: MPOL_F_ADDR, or MPOL_F_ADDR | MPOL_F_NODE. */
static const char *op_get_mempolicy(int map, int64_t offset, int query)
{
	struct map_entry *m = live_map(map);
	if (m == NULL) obs_rc(-EFAULT); else get_mempolicy_at(m->base + (uint64_t)offset, query);
	return obs;
}

static const char *op_get_mempolicy_placed(int map, int64_t offset, int query)
{
	struct map_entry *m = live_map(map);
	struct place p = m == NULL ? (struct place){ P_NONE, 0, 0, 0, 0 } : place_range(m, offset, 1, 0);
	if (p.kind == P_NONE || p.kind == P_SPLIT) obs_rc(-EFAULT); else get_mempolicy_at(p.addr, query);
	return obs;
}

static const char *op_set_mempolicy(int mode, uint64_t nodes) { return obs_rc(gm_set_mempolicy(mode, nodes)); }

static const char *op_uffd_create(int id, uint64_t features) { return obs_rc(hset(uffd_tab, id, gm_uffd_create(features))); }

/* A registration on the mapping's own pages is recorded (the kernel skipped any hole, which a later mmap may fill). */
static void uffd_register_at(int uffd, int map, uint64_t addr, uint64_t len, uint64_t mode, int relocated)
{
	struct map_entry *m = &map_tab[map];
	long rc = gm_uffd_register(hget(uffd_tab, uffd), addr, len, mode);
	uint64_t own = page_end(m) - addr;
	if (rc == 0 && !relocated && n_regs < MAX_H) regs[n_regs++] = (struct reg_entry){ uffd, map, addr, len < own ? len : own };
	obs_rc(rc);
}

static const char *op_uffd_register(int uffd, int map, int64_t offset, uint64_t length, uint64_t mode)
{
	struct map_entry *m = live_map(map);
	if (m == NULL) obs_rc(-EFAULT); else uffd_register_at(uffd, map, m->base + (uint64_t)offset, length, mode, 0);
	return obs;
}

/* A range running into another VMA is registered on the mapping's own pages if the whole range passes the argument checks. */
static const char *op_uffd_register_placed(int uffd, int map, int64_t offset, uint64_t length, uint64_t mode)
{
	struct map_entry *m = live_map(map);
	struct place p, w;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	p = place_range(m, offset, length, 1);
	if (p.kind == P_NONE) obs_rc(-EINVAL);
	else if (p.kind != P_SPLIT) uffd_register_at(uffd, map, p.addr, length, mode, p.kind == P_RELOCATED);
	else if (length > 0 && length % 4096 == 0 && (i128)p.addr + length <= (i128)USER_TOP) uffd_register_at(uffd, map, p.addr, p.own_len, mode, 0);
	else if ((w = place_range(m, offset, length, 0)).kind == P_RELOCATED || w.kind == P_DIRECT) uffd_register_at(uffd, map, w.addr, length, mode, w.kind == P_RELOCATED);
	else obs_rc(-EINVAL);
	return obs;
}

/* UFFDIO_WRITEPROTECT at base + offset on a live map (a range inside the mapping). */
static const char *op_uffd_write_protect(int uffd, int map, int64_t offset, uint64_t length, uint64_t mode)
{
	struct map_entry *m = live_map(map);
	obs_rc(m == NULL ? -EFAULT : gm_uffd_writeprotect(hget(uffd_tab, uffd), m->base + (uint64_t)offset, length, mode));
	return obs;
}

/* As the native target places it: the own pages of a range passing the argument checks, the range as given if it fails them, the dead zone for a start outside. */
static const char *op_uffd_write_protect_placed(int uffd, int map, int64_t offset, uint64_t length, uint64_t mode)
{
	struct map_entry *m = live_map(map);
	struct place p;
	int u;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	u = hget(uffd_tab, uffd);
	p = place_range(m, offset, length, 1);
	if (p.kind == P_SPLIT && !(length > 0 && length % 4096 == 0 && (i128)p.addr + length <= (i128)USER_TOP)) obs_rc(gm_uffd_writeprotect(u, m->base + (uint64_t)offset, length, mode));
	else if (p.kind == P_NONE) obs_set("skipped: no place reaches only the mapping");
	else obs_rc(gm_uffd_writeprotect(u, p.addr, p.kind == P_SPLIT ? p.own_len : length, mode));
	return obs;
}

/* how: 0 COPY, 1 CONTINUE, 2 ZEROPAGE, issued as is on a live map (the ioctls write only into registered VMAs). */
static const char *op_uffd_resolve(int uffd, int how, int map, int64_t offset, uint64_t length, int fill)
{
	struct map_entry *m = live_map(map);
	long rc = m == NULL ? -EFAULT : gm_uffd_resolve(hget(uffd_tab, uffd), how, m->base + (uint64_t)offset, length, (uint8_t)fill);
	if (rc < 0) obs_rc(rc); else obs_set("ok {count:%ld}", rc);
	return obs;
}

/* UFFDIO_POISON as the native target issues it: at base + offset when the start is inside the
 * mapping (mfill refuses a range leaving its VMA) or validate_range refuses it anyway, else in the
 * dead zone, where no VMA is. */
static const char *op_uffd_poison(int uffd, int map, int64_t offset, uint64_t length, uint64_t mode)
{
	struct map_entry *m = live_map(map);
	int inside, early;
	long rc;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	inside = offset >= 0 && (uint64_t)offset < m->length;
	early = length == 0 || length % 4096 != 0 || offset % 4096 != 0 || length >= USER_TOP;
	if (!inside && !early && dead_zone == 0) { obs_set("skipped: no dead zone"); return obs; }
	rc = gm_uffd_poison(hget(uffd_tab, uffd), inside || early ? m->base + (uint64_t)offset : dead_zone, length, mode);
	if (rc < 0) obs_rc(rc); else obs_set("ok {count:%ld}", rc);
	return obs;
}

/* A dead map on either side is not issued (EFAULT, as op_uffd_resolve). */
static const char *op_uffd_move(int uffd, int src, int64_t src_offset, int map, int64_t offset, uint64_t length, uint64_t mode)
{
	struct map_entry *d = live_map(map), *s = live_map(src);
	long rc = d == NULL || s == NULL ? -EFAULT : gm_uffd_move(hget(uffd_tab, uffd), d->base + (uint64_t)offset, s->base + (uint64_t)src_offset, length, mode);
	if (rc < 0) obs_rc(rc); else obs_set("ok {count:%ld}", rc);
	return obs;
}

/* api 0: KVM_SET_MEMORY_ATTRIBUTES2, 1: KVM_GMEM_CONVERT_*; error_offset goes in as the op's errorOffsetIn; an error may carry the offset the kernel reported. */
static const char *op_convert(int fd, int api, uint64_t offset, uint64_t len, int to_private, uint64_t error_offset_in)
{
	uint64_t err_off = error_offset_in;
	long rc = gm_convert(hget(fd_tab, fd), api, offset, len, to_private, &err_off);
	if (rc >= 0 || err_off == ~0ULL) obs_rc(rc);
	else obs_set("errno %s @%llu", errno_name(-rc), (unsigned long long)err_off);
	return obs;
}

static const char *op_set_memory_attributes(int vm, uint64_t gpa, uint64_t size, uint64_t attributes)
{
	return obs_rc(gm_set_memory_attributes(hget(vm_tab, vm), gpa, size, attributes));
}

/* A pin of [addr, addr+len) (PIN_HOW 0: io_uring, 1: vmsplice); `length` is what the op asked for (an io_uring pin holds all of it). */
static void pin_at(int id, int how, uint64_t addr, uint64_t len, uint64_t length)
{
	int fds[2];
	long rc;
	if (id < 0 || id >= MAX_H) { obs_set("infrastructure: pin handle %d out of range", id); return; }
	if (how == 0) {
		rc = gm_uring_pin(addr, len);
		if (rc == GM_NO_RING) { obs_set("infrastructure: no io_uring ring"); return; }
		if (rc >= 0) pin_ring[id] = (int)rc, pin_base[id] = addr;
		if (rc < 0) obs_rc(rc); else obs_set("ok {count:%llu}", (unsigned long long)length);
		return;
	}
	rc = gm_splice_pin(addr, len, fds);
	if (rc == GM_NO_PIPE) { obs_set("infrastructure: no pipe large enough"); return; }
	if (rc >= 0) pin_r[id] = fds[0], pin_w[id] = fds[1];
	if (rc < 0) obs_rc(rc); else obs_set("ok {count:%ld}", rc);
}

/* Lengths the kernel refuses before it looks at any page (or a vmsplice of nothing) go at the mapping's base (ops-pin.ts). */
static int pin_early(int how, uint64_t length) { return length >= 1ULL << 63 || length == 0 || (how == 0 && length > 1ULL << 40); }

static const char *op_pin(int map, int64_t offset, uint64_t length, int how, int id)
{
	struct map_entry *m = live_map(map);
	if (m == NULL) obs_rc(-EFAULT);
	else pin_at(id, how, pin_early(how, length) ? m->base : m->base + (uint64_t)offset, length, length);
	return obs;
}

/* A vmsplice running past the mapping takes its own part; an io_uring registration faults that part in and then fails whole in the dead zone. */
static const char *op_pin_placed(int map, int64_t offset, uint64_t length, int how, int id)
{
	struct map_entry *m = live_map(map);
	struct place p;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	if (pin_early(how, length)) { pin_at(id, how, m->base, length, length); return obs; }
	p = place_range(m, offset, length, 1);
	if (p.kind == P_NONE) obs_rc(-EFAULT);
	else if (p.kind == P_SPLIT && how == 1) pin_at(id, how, p.addr, p.own_len, length);
	else if (p.kind == P_SPLIT) {
		uint64_t from = (m->base + (uint64_t)offset) & ~4095ULL;
		if (length <= 1ULL << 30) gm_madvise(from, page_end(m) - from, MADV_POPULATE_WRITE);
		p = place_range(m, offset, length, 0);
		if (p.kind == P_NONE || p.kind == P_SPLIT) obs_rc(-EFAULT); else pin_at(id, how, p.addr, length, length);
	} else pin_at(id, how, p.addr, length, length);
	return obs;
}

static const char *op_unpin(int pin)
{
	int ring = pin >= 0 && pin < MAX_H ? pin_ring[pin] : -1, r = pin >= 0 && pin < MAX_H ? pin_r[pin] : -1;
	long rc;
	if (ring >= 0) rc = gm_uring_unpin(ring);
	else if (r >= 0) gm_close(pin_w[pin]), rc = gm_close(r);
	else rc = gm_close(-1);
	if (pin >= 0 && pin < MAX_H) pin_ring[pin] = pin_r[pin] = pin_w[pin] = -1;
	return obs_rc(rc);
}

/* Through an io_uring pin: WRITE_FIXED from the buffer at offset; through a pipe: read(2), or pread(2) at a non-zero offset. A dead pin goes to io_uring_enter on fd -1. */
static const char *op_pin_read(int pin, uint64_t offset, int len)
{
	int first;
	int r = pin >= 0 && pin < MAX_H ? pin_r[pin] : -1, ring = pin >= 0 && pin < MAX_H ? pin_ring[pin] : -1;
	long rc = r >= 0 ? gm_pipe_read(r, offset, (uint64_t)len, &first) : gm_uring_read(ring, ring >= 0 ? pin_base[pin] + offset : offset, (uint64_t)len, &first);
	if (rc == GM_NO_RING) obs_set("infrastructure: the io_uring ring could not be mapped");
	else count_first(rc, first);
	return obs;
}


/*
 * munmapPart (spec/vocab/ops-mmrange.ts, native ops-mmrange.ts): the pages before the range keep
 * the handle, the pages after it become map `id`, and their uffd registrations move with them.
 * Placed like the native target: a start below the mapping is placed as if the mapping had no
 * pages (relocated whole when it would reach them), the part past the mapping's own pages goes to
 * the dead zone.
 */
static const char *munmap_part_at(int map, int64_t offset, uint64_t length, int id, int placed)
{
	struct map_entry *m = live_map(map), before, probe;
	struct place p;
	uint64_t end, cut;
	long rc;
	if (m == NULL) return obs_rc(0);
	before = *m;
	probe = *m;
	if (offset < 0) probe.length = 0;
	p = placed ? place_range(&probe, offset, length, 1) : (struct place){ P_DIRECT, m->base + (uint64_t)offset, 0, 0, 0 };
	if (p.kind == P_NONE) return obs_set("infrastructure: munmapPart would reach memory the program did not map");
	rc = gm_munmap(p.addr, p.kind == P_SPLIT ? p.own_len : length);
	if (p.kind == P_SPLIT && rc == 0) rc = gm_munmap(p.rest, p.rest_len);
	if (id >= 0 && id < MAX_H) map_tab[id] = (struct map_entry){ 0, 0, 1, 0 };
	if (rc < 0) return obs_rc(rc);
	end = page_end(&before);
	if ((p.kind == P_DIRECT || p.kind == P_SPLIT) && p.addr >= before.base && p.addr < end) {
		cut = p.addr + ((length + 4095) & ~4095ULL);
		if (p.addr > before.base) m->length = p.addr - before.base; else m->live = 0;
		if (p.kind == P_DIRECT && cut > p.addr && cut < end && id >= 0 && id < MAX_H) {
			map_tab[id] = (struct map_entry){ cut, before.base + before.length - cut, 1, 1 };
			for (int i = 0; i < n_regs; i++) if (regs[i].map == map && regs[i].start >= cut) regs[i].map = id;
		}
		regs_unregister(p.addr, p.kind == P_SPLIT ? p.own_len : cut - p.addr);
	}
	return obs_rc(0);
}

static const char *op_munmap_part(int map, int64_t offset, uint64_t length, int id) { return munmap_part_at(map, offset, length, id, 0); }

static const char *op_munmap_part_placed(int map, int64_t offset, uint64_t length, int id) { return munmap_part_at(map, offset, length, id, 1); }

/*
 * mprotect of [base+off, +len) (ops-mprot.ts): a dead map answers ENOMEM unissued; placed like the
 * native target — a start below the mapping as if the mapping had no pages, the part past its own
 * pages in the dead zone (ENOMEM there), the own part first; a rest the dead zone cannot hold is
 * the hole's ENOMEM after the own part.
 */
static const char *mprotect_range_at(int map, int64_t offset, uint64_t length, uint64_t prot, int placed)
{
	struct map_entry *m = live_map(map), probe;
	struct place p;
	uint64_t addr, end;
	long rc;
	if (m == NULL) return obs_rc(-ENOMEM);
	if (!placed) return obs_rc(gm_mprotect(m->base + (uint64_t)offset, length, prot));
	probe = *m;
	if (offset < 0) probe.length = 0;
	p = place_range(&probe, offset, length, 1);
	addr = m->base + (uint64_t)offset, end = page_end(m);
	if (p.kind == P_NONE) {
		if (offset < 0 || addr < m->base || addr >= end) return obs_set("infrastructure: mprotectRange would reach memory the program did not map");
		rc = gm_mprotect(addr, end - addr, prot);
		return obs_rc(rc < 0 ? rc : -ENOMEM);
	}
	if (p.kind != P_SPLIT) return obs_rc(gm_mprotect(p.addr, length, prot));
	rc = gm_mprotect(p.addr, p.own_len, prot);
	return obs_rc(rc < 0 ? rc : gm_mprotect(p.rest, p.rest_len, prot));
}

static const char *op_mprotect_range(int map, int64_t offset, uint64_t length, uint64_t prot) { return mprotect_range_at(map, offset, length, prot, 0); }

static const char *op_mprotect_range_placed(int map, int64_t offset, uint64_t length, uint64_t prot) { return mprotect_range_at(map, offset, length, prot, 1); }

/* The fd and memslot calls of round 4 (issue 15): the same wrappers as the native addon. */
static const char *op_fd_watch(int fd, int mode, int64_t offset, int64_t len)
{
	return obs_fd(gm_fd_watch(hget(fd_tab, fd), mode, offset, len), "ok {events:%ld}");
}

static const char *op_dirty_log(int vm, int call, uint32_t slot, uint64_t first_page, uint32_t num_pages)
{
	return obs_fd(gm_dirty_log(hget(vm_tab, vm), call, slot, first_page, num_pages), NULL);
}

static const char *op_fd_exec_check(int fd)
{
	return obs_rc(gm_fd_exec_check(hget(fd_tab, fd)));
}

/* get_mempolicy with the whole flags word (POL-22): ok {node} with MPOL_F_NODE, else ok {mode,nodes}. */
static void get_mempolicy_flags_at(uint64_t addr, uint64_t flags)
{
	int mode = -1;
	unsigned long nodes = 0;
	long rc = gm_get_mempolicy_flags(addr, flags, &mode, &nodes);
	if (rc < 0) obs_rc(rc);
	else if (flags & MPOL_F_NODE) obs_set("ok {node:%d}", mode);
	else obs_set("ok {mode:%d,nodes:%lu}", mode, nodes);
}

static const char *op_get_mempolicy_flags(int map, int64_t offset, uint64_t flags)
{
	struct map_entry *m = live_map(map);
	if (m == NULL) obs_rc(-EFAULT); else get_mempolicy_flags_at(m->base + (uint64_t)offset, flags);
	return obs;
}

/* Where no dead-zone address stands for the offset, a non-canonical one (no VMA, not 0) goes: the kernel checks the flags first. */
static const char *op_get_mempolicy_flags_placed(int map, int64_t offset, uint64_t flags)
{
	struct map_entry *m = live_map(map);
	struct place p;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	p = place_range(m, offset, 1, 0);
	get_mempolicy_flags_at(p.kind == P_NONE || p.kind == P_SPLIT ? 1ULL << 63 : p.addr, flags);
	return obs;
}

/* The numaMaps outcome of spec/vocab/ops-numa.ts: map-relative start, the policy text, the escaped file name, the counts. */
static void numa_maps_at(const struct map_entry *m, uint64_t addr)
{
	struct gm_numa_maps n;
	long r = gm_numa_maps(addr, &n);
	if (r < 0) obs_rc(r);
	else if (r == 0) obs_set("ok null");
	else obs_set("ok {anon:%llu,file:%s,n0:%llu,pages:%llu,policy:%s,start:%lld}", (unsigned long long)n.anon, n.file,
		(unsigned long long)n.n0, (unsigned long long)n.pages, n.policy, (long long)(n.start - m->base));
}

static const char *op_numa_maps(int map, int64_t offset)
{
	struct map_entry *m = live_map(map);
	if (m == NULL) obs_rc(-EFAULT); else numa_maps_at(m, m->base + (uint64_t)offset);
	return obs;
}

static const char *op_numa_maps_placed(int map, int64_t offset)
{
	struct map_entry *m = live_map(map);
	struct place p;
	if (m == NULL) { obs_rc(-EFAULT); return obs; }
	p = place_range(m, offset, 1, 0);
	if (p.kind == P_NONE || p.kind == P_SPLIT) obs_rc(-EFAULT); else numa_maps_at(m, p.addr);
	return obs;
}

/* move_pages (POL-20): ok {status:[node or errno name, ...]} and notMoved when the call returns a positive count; a dead map is not issued. */
static const char *op_move_pages(int map, int64_t offset, int pages, int move, int node, int flags)
{
	struct map_entry *m = live_map(map);
	int status[GM_MOVE_PAGES_MAX], i;
	size_t at = 0;
	char list[512] = "";
	long rc;
	if (m == NULL) return obs_rc(-EFAULT);
	rc = gm_move_pages(m->base, m->length, offset, pages, move, node, flags, status);
	if (rc < 0) return obs_rc(rc);
	for (i = 0; i < pages; i++) {
		if (status[i] >= 0) at += (size_t)snprintf(list + at, sizeof list - at, "%s%d", i ? "," : "", status[i]);
		else at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", i ? "," : "", status[i] == INT_MIN ? "UNWRITTEN" : errno_name(-status[i]));
	}
	if (rc > 0) obs_set("ok {notMoved:%ld,status:[%s]}", rc, list); else obs_set("ok {status:[%s]}", list);
	return obs;
}

/*
 * mremap (spec/vocab/ops-mremap.ts): old_size 0 (old_zero) or the map's whole page-rounded length,
 * new_addr 0 (to 0) or map `over`'s base (to 1; MREMAP_FIXED cleared without a live one). A FIXED
 * target is issued only under the same rule as op_mmap_ex's MAP_FIXED (safe_fixed); the result is
 * map `id`; M stays live only for MREMAP_DONTUNMAP and the old_size-0 duplicate. Prints ok {moved}.
 */
static const char *op_mremap(int map, int id, int old_zero, uint64_t new_length, uint64_t flags, int to, int over)
{
	struct map_entry *m = live_map(map), *t = to == 1 ? live_map(over) : NULL;
	uint64_t old_len, size = (new_length + 4095) & ~4095ULL, oend;
	long r;
	int keep;
	if (m == NULL) return obs_rc(-EFAULT);
	if (t == NULL) flags &= ~2 /* MREMAP_FIXED */;
	old_len = old_zero ? 0 : page_end(m) - m->base;
	if (t != NULL && (flags & 2 /* MREMAP_FIXED */) && !safe_fixed(t, size)) {
		printf("Bail out! op_mremap: MREMAP_FIXED of %llu bytes over map %d would unmap memory this program did not map\n", (unsigned long long)new_length, over);
		exit(4);
	}
	r = gm_mremap(m->base, old_len, new_length, flags, t != NULL ? t->base : 0);
	if (r < 0) {
		if (t != NULL && (flags & 2 /* MREMAP_FIXED */) && !gm_page_mapped(t->base)) { covered(t, size); regs_drop_map(over); }
		return obs_rc(r);
	}
	keep = old_len == 0 || (flags & 4 /* MREMAP_DONTUNMAP */);
	if (t != NULL && (flags & 2 /* MREMAP_FIXED */)) { covered(t, size); regs_drop_map(over); }
	oend = page_end(m);
	if ((uint64_t)r == m->base && !keep) {
		/* In place: the registrations follow the VMA (cut with a shrink, grown with a grow). */
		if (m->base + size < oend) regs_unregister(m->base + size, oend - m->base - size);
		for (int i = 0; i < n_regs; i++) {
			if (regs[i].map != map) continue;
			if (m->base + size > oend && regs[i].start + regs[i].len == oend) regs[i].len += m->base + size - oend;
			regs[i].map = id;
		}
		m->live = 0;
	} else if (!keep) {
		m->live = 0;
		regs_drop_map(map);
	}
	if (id >= 0 && id < MAX_H) map_tab[id] = (struct map_entry){ (uint64_t)r, new_length, 1, 1 };
	return obs_set((uint64_t)r != m->base ? "ok {moved:true}" : "ok {moved:false}");
}

/*
 * set_mempolicy_home_node (POL-23): the argument checks first run on one page above the user
 * address space, where no VMA is (EINVAL, or ENOENT once they pass); then only the mapping's own
 * part of the range, whose VMAs decide the answer (holes are skipped). A range that wraps or is
 * empty goes as it is: the kernel answers before it looks at a VMA.
 */
static const char *op_set_mempolicy_home_node(int map, int64_t offset, uint64_t length, uint64_t node, uint64_t flags)
{
	struct map_entry *m = live_map(map);
	uint64_t addr, rounded, lo, hi;
	long probe;
	if (m == NULL) return obs_rc(-EFAULT);
	addr = m->base + (uint64_t)offset;
	rounded = (length + 4095) & ~4095ULL;
	if (rounded == 0 || addr + rounded < addr) return obs_rc(gm_set_mempolicy_home_node(addr, length, node, flags));
	probe = gm_set_mempolicy_home_node(USER_TOP + (addr & 4095), 4096, node, flags);
	if (probe != -ENOENT) return obs_rc(probe);
	lo = addr > m->base ? addr : m->base;
	hi = addr + rounded < page_end(m) ? addr + rounded : page_end(m);
	return obs_rc(lo < hi ? gm_set_mempolicy_home_node(lo, hi - lo, node, flags) : -ENOENT);
}

/* KVM_SET_USER_MEMORY_REGION2 with pad1 and pad2 (SLOT-20); the other fields as op_set_memory_region's. */
static const char *op_set_memory_region_pad(int vm, uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size, int ukind, int map,
				     int64_t uoff, int gkind, int gfd, int gvm, uint64_t gmem_offset, uint32_t pad1, const uint64_t *pad2, int n_pad2)
{
	uint64_t uaddr = ukind == 1 ? 0 : ukind == 2 ? UNALIGNED_UADDR : map >= 0 && map < MAX_H && map_tab[map].used ? map_tab[map].base + (uint64_t)uoff : (uint64_t)uoff;
	long path = gkind == 4 ? gm_open_path(hget(fd_tab, gfd)) : -1;
	int gmem = gkind == 0 ? hget(fd_tab, gfd) : gkind == 1 ? hget(vm_tab, gvm) : gkind == 2 ? kvm_fd : path >= 0 ? (int)path : NOT_OPEN_FD;
	long rc = gm_set_memory_region_pad(hget(vm_tab, vm), slot, flags, gpa, size, uaddr, (uint32_t)gmem, gmem_offset, pad1, pad2, n_pad2);
	if (path >= 0) gm_close((int)path);
	return obs_rc(rc);
}

/* KVM binary statistics (issue 15, round 5): the same wrapper as the native addon; the outcome as the native target builds it. */
static const char *op_kvm_stats(int on, int vm, int vcpu, int at, int write)
{
	static const char *const keys[] = { "remote_tlb_flush", "pages_4k", "pages_2m", "pages_1g", "nx_lpage_splits", "halt_exits", "exits", "pf_taken", "pf_fixed", "blocking" };
	struct gm_kstats s;
	char has[256] = "", pages[48], ra[32], wr[32];
	size_t at_ = 0, i;
	long rc = gm_kvm_stats(on == 0 ? hget(vm_tab, vm) : hget(vcpu_tab, vcpu), at, write, &s);
	if (rc <= GM_NO_PIPE) return obs_set("infrastructure: harness code %ld", rc);
	if (rc < 0) return obs_rc(rc);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (s.has >> i & 1) at_ += (size_t)snprintf(has + at_, sizeof has - at_, "%s%s", at_ ? "," : "", keys[i]);
	if (on == 0 && s.pages_small >= 0 && s.pages_huge >= 0) snprintf(pages, sizeof pages, "{huge:%s,small:%s}", s.pages_huge ? "true" : "false", s.pages_small ? "true" : "false");
	else snprintf(pages, sizeof pages, "null");
	if (s.read_at < 0) snprintf(ra, sizeof ra, "%s", errno_name(-s.read_at)); else snprintf(ra, sizeof ra, "%ld", s.read_at);
	if (s.write_rc < 0) snprintf(wr, sizeof wr, "%s", errno_name(-s.write_rc)); else snprintf(wr, sizeof wr, "%ld", s.write_rc);
	return obs_set("ok {has:[%s],id:%s,layout:%s,pages:%s,readAt:%s,write:%s}", has, s.id, s.layout, pages, ra, wr);
}

/* kpageflags/kpagecount of the page at a map offset, as the native target asks: only inside the mapping's own pages (elsewhere ok null, nothing read). */
static const char *op_kpage_flags(int map, int64_t offset)
{
	static const char *const names[] = { "uptodate", "lru", "mmap", "anon", "swapbacked", "unevictable", "thp", "zero" };
	struct map_entry *m = live_map(map);
	char flags[128] = "";
	size_t at = 0, i;
	long r;
	if (m == NULL) return obs_rc(-EFAULT);
	if (offset < 0 || (uint64_t)offset >= (m->length + 4095) / 4096 * 4096) return obs_set("ok null");
	r = gm_kpage_flags(m->base + (uint64_t)offset);
	if (r <= GM_NO_PIPE) return obs_set("infrastructure: harness code %ld", r);
	if (r < 0) return obs_rc(r);
	if (r == 0) return obs_set("ok null");
	for (i = 0; i < 8; i++)
		if (r >> (i + 1) & 1) at += (size_t)snprintf(flags + at, sizeof flags - at, "%s%s", at ? "," : "", names[i]);
	return obs_set("ok {count:%ld,flags:[%s]}", r >> 16, flags);
}

/* copy_file_range between two files of the sequence (issue 15, round 5): the same wrapper as the native addon. */
static const char *op_copy_range(int src, int dst, int64_t src_off, int64_t dst_off, uint64_t len, uint32_t flags)
{
	return obs_fd(gm_copy_range(hget(fd_tab, src), hget(fd_tab, dst), src_off, dst_off, len, flags), "ok {count:%ld}");
}

/* spanRange (MAP-26): the call (spec/vocab/ops-span.ts SPAN_CALL) over the map's last `tail` pages (0 reads 1, at most all) and `pages` (0 reads 1) anonymous pages mapped after its end by the same wrapper as the native addon; those pages must be free, or the program bails out. */
static const char *op_span_range(int map, int tail, int pages, int call)
{
	struct map_entry *m = live_map(map);
	uint64_t end, n, t, i;
	long rc;
	if (m == NULL) return obs_rc(-EFAULT);
	end = page_end(m);
	n = (end - m->base) / 4096;
	t = tail < 1 ? 1 : (uint64_t)tail > n ? n : (uint64_t)tail;
	if (pages < 1) pages = 1;
	for (i = 0; i < (uint64_t)pages; i++) {
		if (gm_page_mapped(end + i * 4096)) {
			printf("Bail out! op_span_range: the pages after map %d are not free\n", map);
			exit(4);
		}
	}
	rc = gm_span_range(end - t * 4096, end, (uint64_t)pages * 4096, call);
	if (rc <= GM_NO_PIPE) return obs_set("infrastructure: harness code %ld", rc);
	return obs_rc(rc);
}
