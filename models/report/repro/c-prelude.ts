/**
 * The fixed head of every generated reproducer: includes, uAPI constants and structs (defined
 * inline because distro headers lag the guest_memfd uAPI; each with its source, the same numbers
 * as adapters/native/src/uapi.h), the handle tables, the SIGBUS/SIGSEGV guard and the KTAP
 * bookkeeping. Emitted verbatim; kept warning-free under gcc -Wall -Werror.
 */
import { ERRNO } from '../../../spec/vocab/index.js';

const errnoCases = (): string =>
  Object.entries(ERRNO).map(([name, n]) => `  case ${n}: return "${name}";`).join('\n');

export const C_PRELUDE = `#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define HELPER static __attribute__((unused))

/* ---- KVM ioctls: include/uapi/linux/kvm.h (kernel-rules.md §1.1, _IOC encoding on x86-64) ---- */
#define KVM_CREATE_VM_ 0xAE01UL
#define KVM_CHECK_EXTENSION_ 0xAE03UL
#define KVM_SET_USER_MEMORY_REGION_ 0x4020AE46UL  /* 32-byte struct */
#define KVM_SET_USER_MEMORY_REGION2_ 0x40A0AE49UL /* 160-byte struct */
#define KVM_SET_MEMORY_ATTRIBUTES_ 0x4020AED2UL   /* VM fd, 32-byte struct */
#define KVM_CREATE_GUEST_MEMFD_ 0xC040AED4UL      /* VM fd, 64-byte struct */
/* Proposed conversion uAPIs on the gmem fd (kernel-rules.md §1.1: in-place conversion v8; RFC v2). */
#define KVM_SET_MEMORY_ATTRIBUTES2_ 0xC080AED2UL
#define KVM_GMEM_CONVERT_SHARED_ 0xC040AF41UL
#define KVM_GMEM_CONVERT_PRIVATE_ 0xC040AF42UL
#define KVM_MEMORY_ATTRIBUTE_PRIVATE_ (1ULL << 3) /* kernel-rules.md §1.6 */

/* ---- KVM structs, x86-64 layout (kernel-rules.md §1.2) ---- */
struct kvm_create_guest_memfd_ { uint64_t size, flags, reserved[6]; };
struct kvm_userspace_memory_region2_ {
  uint32_t slot, flags;
  uint64_t guest_phys_addr, memory_size, userspace_addr, guest_memfd_offset;
  uint32_t guest_memfd, pad1;
  uint64_t pad2[14];
};
struct kvm_memory_attributes_ { uint64_t address, size, attributes, flags; };
struct kvm_memory_attributes2_ { uint64_t offset, size, attributes, flags, error_offset, reserved[11]; };
struct kvm_gmem_convert_ { uint64_t offset, size, error_offset, reserved[5]; };
_Static_assert(sizeof(struct kvm_create_guest_memfd_) == 64, "kernel-rules.md 1.2");
_Static_assert(sizeof(struct kvm_userspace_memory_region2_) == 160, "kernel-rules.md 1.2");
_Static_assert(sizeof(struct kvm_memory_attributes2_) == 128, "kernel-rules.md 1.2");
_Static_assert(sizeof(struct kvm_gmem_convert_) == 64, "kernel-rules.md 1.2");

/* ---- syscalls: arch/x86/entry/syscalls/syscall_64.tbl (kernel-rules.md §1.9) ---- */
#define SYS_mbind_ 237
#define SYS_set_mempolicy_ 238
#define SYS_get_mempolicy_ 239
#define SYS_userfaultfd_ 323
#define MPOL_F_NODE_ (1 << 0) /* include/uapi/linux/mempolicy.h */
#define MPOL_F_ADDR_ (1 << 1)

/* ---- userfaultfd: include/uapi/linux/userfaultfd.h (kernel-rules.md §1.8) ---- */
#define UFFD_API_ 0xAAULL
#define UFFDIO_API_ 0xC018AA3FUL
#define UFFDIO_REGISTER_ 0xC020AA00UL
#define UFFDIO_UNREGISTER_ 0x8010AA01UL
#define UFFDIO_COPY_ 0xC028AA03UL
#define UFFDIO_ZEROPAGE_ 0xC020AA04UL
#define UFFDIO_CONTINUE_ 0xC020AA07UL
#define UFFDIO_WAKE_ 0x8010AA02UL
#define UFFD_USER_MODE_ONLY_ 1
#define UFFD_EVENT_PAGEFAULT_ 0x12
struct uffdio_api_ { uint64_t api, features, ioctls; };
struct uffdio_range_ { uint64_t start, len; };
struct uffdio_register_ { struct uffdio_range_ range; uint64_t mode, ioctls; };
struct uffdio_copy_ { uint64_t dst, src, len, mode; int64_t copy; };
struct uffdio_zeropage_ { struct uffdio_range_ range; uint64_t mode; int64_t zeropage; };
struct uffdio_continue_ { struct uffdio_range_ range; uint64_t mode; int64_t mapped; };
/* struct uffd_msg: 32 bytes; event u8 @0, pagefault.flags u64 @8, pagefault.address u64 @16 */
struct uffd_msg_ { uint8_t event, reserved1; uint16_t reserved2; uint32_t reserved3; uint64_t flags, address, ptid; };
_Static_assert(sizeof(struct uffd_msg_) == 32, "uffd_msg is 32 bytes");

#define PAGE_ 4096ULL
/* x86-64 4-level paging: user addresses are below 2^47 (TASK_SIZE_MAX). */
#define USER_TOP_ (1ULL << 47)
/* The same stand-ins the native target uses for SlotFd 'notOpen' and UserAddr 'unaligned'. */
#define NOT_OPEN_FD_ 1000000
#define UNALIGNED_UADDR_ 0x100000800ULL
#define UFFD_TIMEOUT_MS_ 2000
#define MAX_H 1024
#define OBS_MAX 65536

/* ---- handle tables (spec/vocab/handles.ts): handle -> fd / mapping; absent = -1 / unused ---- */
struct map_entry { uint64_t base, length; int used, live; };
struct reg_entry { int uffd, map; uint64_t start, len; };
static int kvm_fd = -1;
static int vm_tab[MAX_H], fd_tab[MAX_H], uffd_tab[MAX_H];
static struct map_entry map_tab[MAX_H];
/* uffd registrations in order (the first whose range holds an address answers it), as the native
 * target's Tables.regs: a munmap drops its map's, an unregister shrinks or splits them. */
static struct reg_entry regs[MAX_H];
static int n_regs;
static char obs[OBS_MAX];

static int hget(const int *tab, int h) { return h >= 0 && h < MAX_H ? tab[h] : -1; }
static void hset(int *tab, int h, int fd) { if (h >= 0 && h < MAX_H && fd >= 0) tab[h] = fd; }
HELPER struct map_entry *live_map(int h) { return h >= 0 && h < MAX_H && map_tab[h].live ? &map_tab[h] : NULL; }

HELPER void regs_push(int uffd, int map, uint64_t start, uint64_t len) {
  if (n_regs < MAX_H) { regs[n_regs].uffd = uffd; regs[n_regs].map = map; regs[n_regs].start = start; regs[n_regs].len = len; n_regs++; }
}
HELPER void regs_drop_map(int map) {
  int i, k = 0;
  for (i = 0; i < n_regs; i++) if (regs[i].map != map) regs[k++] = regs[i];
  n_regs = k;
}
/* [start, start+len) is no longer registered: registrations overlapping it shrink or split. */
HELPER void regs_unregister(uint64_t start, uint64_t len) {
  struct reg_entry out[MAX_H];
  unsigned __int128 end = (unsigned __int128)start + len;
  int i, k = 0;
  for (i = 0; i < n_regs && k < MAX_H; i++) {
    struct reg_entry r = regs[i];
    unsigned __int128 r_end = (unsigned __int128)r.start + r.len;
    if (r_end <= start || r.start >= end) { out[k++] = r; continue; }
    if (r.start < start) { out[k] = r; out[k].len = start - r.start; k++; }
    if (r_end > end && k < MAX_H) { out[k] = r; out[k].start = (uint64_t)end; out[k].len = (uint64_t)(r_end - end); k++; }
  }
  memcpy(regs, out, sizeof out[0] * (size_t)k);
  n_regs = k;
}
HELPER struct reg_entry *reg_at(uint64_t addr) {
  int i;
  for (i = 0; i < n_regs; i++) if (addr >= regs[i].start && addr - regs[i].start < regs[i].len) return &regs[i];
  return NULL;
}

static void reset_tables(void) {
  int i;
  unsigned long none = 0;
  for (i = 0; i < MAX_H; i++) {
    if (map_tab[i].live) munmap((void *)(uintptr_t)map_tab[i].base, map_tab[i].length);
    map_tab[i].used = map_tab[i].live = 0;
  }
  for (i = 0; i < MAX_H; i++) if (uffd_tab[i] >= 0) close(uffd_tab[i]);
  for (i = 0; i < MAX_H; i++) if (fd_tab[i] >= 0) close(fd_tab[i]);
  for (i = 0; i < MAX_H; i++) if (vm_tab[i] >= 0) close(vm_tab[i]);
  for (i = 0; i < MAX_H; i++) vm_tab[i] = fd_tab[i] = uffd_tab[i] = -1;
  n_regs = 0;
  syscall(SYS_set_mempolicy_, 0, &none, 64UL); /* MPOL_DEFAULT again */
}

/* ---- observed outcomes, in the canonical code of models/report/outcome-code.ts ---- */
static const char *errno_name(int e) {
  static char buf[32];
  switch (e) {
${errnoCases()}
  default: snprintf(buf, sizeof buf, "ERRNO_%d", e); return buf;
  }
}
static void obs_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void obs_set(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(obs, sizeof obs, fmt, ap);
  va_end(ap);
}
/* rc < 0 is -errno (the native target's raw convention). */
static long neg(long rc) { return rc < 0 ? -errno : rc; }
static void obs_rc(long rc) { if (rc < 0) obs_set("errno %s", errno_name((int)-rc)); else obs_set("ok"); }

/* Scratch buffers sized by an op: anonymous MAP_NORESERVE memory, fill capped at 64 MiB (adapters/native/src/buf.h). */
static uint8_t *buf_new(uint64_t len, int fill, size_t *mapped) {
  size_t n = (size_t)((len + 4095) & ~4095ULL);
  void *p;
  if (n == 0) n = 4096;
  p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return NULL;
  if (fill != 0) memset(p, fill, n < (64u << 20) ? n : (64u << 20));
  *mapped = n;
  return p;
}

/* ---- faults as outcomes: a per-thread jump buffer armed only around one byte access ---- */
struct arm { sigjmp_buf jb; volatile int sig, code; volatile uint64_t addr; };
static __thread struct arm *volatile t_arm;
struct access_result { int sig, code; uint64_t addr; int value; };

static void on_fault(int sig, siginfo_t *si, void *uc) {
  struct arm *a = t_arm;
  (void)uc;
  if (a != NULL) {
    t_arm = NULL;
    a->sig = sig;
    a->code = si->si_code;
    a->addr = (uint64_t)(uintptr_t)si->si_addr;
    siglongjmp(a->jb, 1);
  }
  signal(sig, SIG_DFL); /* not an access we armed: die the normal way when the fault re-fires */
}

static void install_guard(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGBUS, &sa, NULL);
  sigaction(SIGSEGV, &sa, NULL);
}

static struct access_result guarded_access(volatile uint8_t *p, int store, uint8_t value) {
  struct arm a;
  struct access_result r = { 0, 0, 0, 0 };
  volatile int loaded = 0;
  a.sig = 0;
  if (sigsetjmp(a.jb, 0) == 0) {
    t_arm = &a;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    if (store) { *p = value; loaded = value; } else loaded = *p;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    t_arm = NULL;
    r.value = loaded;
    return r;
  }
  r.sig = a.sig;
  r.code = a.code;
  r.addr = a.addr;
  return r;
}

/* si_code names (include/uapi/asm-generic/siginfo.h); offsets are si_addr minus the map base. */
static void fmt_access(char *out, size_t n, struct access_result r, uint64_t base, int store) {
  const char *code = "OTHER";
  if (r.sig == 0) {
    if (store) snprintf(out, n, "ok"); else snprintf(out, n, "ok {value:%d}", r.value);
    return;
  }
  if (r.sig == SIGBUS) code = r.code == 2 ? "BUS_ADRERR" : r.code == 3 ? "BUS_OBJERR" : r.code == 4 ? "BUS_MCEERR_AR" : "OTHER";
  else code = r.code == 1 ? "SEGV_MAPERR" : r.code == 2 ? "SEGV_ACCERR" : "OTHER";
  snprintf(out, n, "signal %s %s %lld", r.sig == SIGBUS ? "SIGBUS" : "SIGSEGV", code, (long long)(r.addr - base));
}

/* ---- KTAP bookkeeping (Documentation/dev-tools/ktap.rst) ---- */
static const char *indent = "";
static int test_no, failed, skipped;

static void ktap_begin(const char *ind, int plan) {
  indent = ind;
  test_no = failed = skipped = 0;
  printf("%sKTAP version 1\\n%s1..%d\\n", ind, ind, plan);
}

HELPER void check(const char *label, const char *desc, const char *const *allowed) {
  int i, hit = 0;
  test_no++;
  printf("%s# observed %s %s\\n", indent, label, obs);
  for (i = 0; allowed[i] != NULL; i++) if (strcmp(allowed[i], obs) == 0) hit = 1;
  if (!hit) {
    failed++;
    for (i = 0; allowed[i] != NULL; i++) printf("%s# allowed:  %s\\n", indent, allowed[i]);
    printf("%s# got:      %s\\n", indent, obs);
  }
  printf("%s%s %d step %s: %s\\n", indent, hit ? "ok" : "not ok", test_no, label, desc);
  fflush(stdout);
}

HELPER void step_skip(const char *label, const char *desc, const char *why) {
  test_no++;
  skipped++;
  printf("%sok %d step %s: %s # SKIP %s\\n", indent, test_no, label, desc, why);
  fflush(stdout);
}
`;
