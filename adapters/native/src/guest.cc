// A minimal real guest for guestAccess: one vCPU per VM under test, running a few bytes of 64-bit
// code from a small memslot of its own, which load or store one byte at the GPA under test through
// a one-page window of its page tables. The GPA's memslot decides where the byte comes from (a
// guest_memfd or userspace_addr) exactly as for any guest; KVM_RUN's exit says what happened.
//
// Address space: everything the guest needs lives in static storage of the addon (like buf.cc's
// slabs), mapped when the addon was loaded, so creating a guest never adds a mapping the kernel
// could place next to a mapping under test. The vCPU's kvm_run page is mapped MAP_FIXED over a
// reserved part of that storage and replaced with fresh anonymous memory when the guest goes.
//
// Layout of one guest's code slot (kCodePages pages at kCodeGpa, identity-mapped at the same
// virtual address): page 0 code, 1 PML4, 2 PDPT, 3 PD, 4 PT. PT entry kWindowIndex maps the page
// under test; the code reaches it at kWindowVa + (gpa & 0xfff).
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "napi_util.h"

namespace gm {
namespace {

constexpr int kMaxGuests = 64;
constexpr uint64_t kPage = 4096;
constexpr int kCodePages = 8;
constexpr int kRunPages = 16;
// 32 GiB: far above every GPA the generators use (< 5 GiB) and below any x86-64 MAXPHYADDR (36+).
constexpr uint64_t kCodeGpa = 0x800000000ull;
constexpr int kWindowIndex = 256;
constexpr uint64_t kWindowVa = kCodeGpa + kWindowIndex * kPage;
constexpr uint64_t kPteFlags = 0x63;  // present, writable, accessed, dirty
constexpr uint32_t kExitMemoryFault = 39;  // KVM_EXIT_MEMORY_FAULT (include/uapi/linux/kvm.h, 6.8+)
constexpr uint64_t kMemoryFaultPrivate = 1ull << 3;  // KVM_MEMORY_EXIT_FLAG_PRIVATE

// The code, at kCodeGpa (rbx = address, rcx = 1 to store, al = byte to store; result in al):
//   invlpg [rbx]; test ecx,ecx; jnz store; movzx eax, byte [rbx]; hlt; store: mov [rbx], al; hlt
const uint8_t kCode[] = {
    0x0F, 0x01, 0x3B,        // invlpg [rbx]   (the window entry changes between runs)
    0x85, 0xC9,              // test ecx, ecx
    0x75, 0x04,              // jnz +4
    0x0F, 0xB6, 0x03,        // movzx eax, byte [rbx]
    0xF4,                    // hlt
    0x88, 0x03,              // mov [rbx], al
    0xF4,                    // hlt
};

struct alignas(4096) GuestMem {
  uint8_t code[kCodePages][kPage];
  uint8_t run[kRunPages][kPage];
};
GuestMem g_mem[kMaxGuests];

struct Guest {
  bool used = false;
  int vcpu = -1;
  size_t runSize = 0;
  bool needsReset = false;
};
Guest g_guests[kMaxGuests];

uint64_t* pageAt(int i, int page) { return reinterpret_cast<uint64_t*>(g_mem[i].code[page]); }
uint64_t codeUaddr(int i) { return reinterpret_cast<uint64_t>(g_mem[i].code[0]); }
kvm_run* runOf(int i) { return reinterpret_cast<kvm_run*>(g_mem[i].run[0]); }

void writeCodeAndTables(int i) {
  std::memset(g_mem[i].code, 0, sizeof g_mem[i].code);
  std::memcpy(g_mem[i].code[0], kCode, sizeof kCode);
  const uint64_t pml4 = kCodeGpa + 1 * kPage, pdpt = kCodeGpa + 2 * kPage, pd = kCodeGpa + 3 * kPage, pt = kCodeGpa + 4 * kPage;
  pageAt(i, 1)[(kCodeGpa >> 39) & 511] = pdpt | 0x3;
  pageAt(i, 2)[(kCodeGpa >> 30) & 511] = pd | 0x3;
  pageAt(i, 3)[(kCodeGpa >> 21) & 511] = pt | 0x3;
  for (int p = 0; p < kCodePages; p++) pageAt(i, 4)[p] = (kCodeGpa + p * kPage) | kPteFlags;
  (void)pml4;
}

void segment(kvm_segment& s, uint16_t sel, uint8_t type, bool code) {
  std::memset(&s, 0, sizeof s);
  s.base = 0;
  s.limit = 0xFFFFFFFF;
  s.selector = sel;
  s.type = type;
  s.present = 1;
  s.s = 1;
  s.g = 1;
  s.l = code ? 1 : 0;
  s.db = code ? 0 : 1;
}

// 64-bit mode, paging through the code slot's tables, flat segments, a usable TR (VMX entry checks).
int setLongMode(int vcpu) {
  kvm_sregs sr;
  if (ioctl(vcpu, KVM_GET_SREGS, &sr) < 0) return -errno;
  segment(sr.cs, 0x08, 11, true);
  segment(sr.ds, 0x10, 3, false);
  sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
  std::memset(&sr.tr, 0, sizeof sr.tr);
  sr.tr.selector = 0x18;
  sr.tr.type = 11;
  sr.tr.present = 1;
  sr.tr.limit = 0x67;
  std::memset(&sr.ldt, 0, sizeof sr.ldt);
  sr.ldt.unusable = 1;
  sr.cr0 = 0x80050033;  // PG | AM | WP | NE | ET | MP | PE
  sr.cr3 = kCodeGpa + 1 * kPage;
  sr.cr4 = 0x20;        // PAE
  sr.efer = 0x500;      // LME | LMA
  return ioctl(vcpu, KVM_SET_SREGS, &sr) < 0 ? -errno : 0;
}

// struct kvm_cpuid2 is {u32 nent, padding; entries[]}: 8 bytes. The system header declares the
// array with __DECLARE_FLEX_ARRAY, which g++ sizes as 12 bytes, so its KVM_*_CPUID numbers would
// encode the wrong size: the numbers are written out here (include/uapi/linux/kvm.h, _IOC encoding).
constexpr unsigned long kGetSupportedCpuid = 0xC008AE05;  // _IOWR(KVMIO, 0x05, struct kvm_cpuid2)
constexpr unsigned long kSetCpuid2 = 0x4008AE90;          // _IOW(KVMIO, 0x90, struct kvm_cpuid2)
struct CpuidHead {
  uint32_t nent, padding;
};
static_assert(sizeof(kvm_cpuid_entry2) == 40, "struct kvm_cpuid_entry2 is 40 bytes");

// The vCPU gets the few CPUID leaves the code needs, as KVM supports them: vendor and features
// (0, 1) and the extended ones for long mode (0x80000001 LM) and the address widths (0x80000008).
// Not the whole supported set: some leaves (e.g. dynamic XSAVE features) need more enabling, and
// KVM_SET_CPUID2 refuses a virtual-address width other than 48 or 57.
int setCpuid(int kvmFd, int vcpu) {
  for (uint32_t n = 64; n <= 1024; n *= 2) {
    size_t bytes = sizeof(CpuidHead) + n * sizeof(kvm_cpuid_entry2);
    uint8_t* buf = static_cast<uint8_t*>(::operator new(bytes));
    std::memset(buf, 0, bytes);
    auto* head = reinterpret_cast<CpuidHead*>(buf);
    auto* ent = reinterpret_cast<kvm_cpuid_entry2*>(buf + sizeof(CpuidHead));
    head->nent = n;
    int rc = ioctl(kvmFd, kGetSupportedCpuid, buf);
    if (rc < 0 && errno == E2BIG) {
      ::operator delete(buf);
      continue;
    }
    if (rc < 0) {
      rc = -errno;
      ::operator delete(buf);
      return rc;
    }
    uint32_t kept = 0;
    for (uint32_t k = 0; k < head->nent && k < n; k++) {
      kvm_cpuid_entry2 e = ent[k];
      if (e.function != 0 && e.function != 1 && e.function != 0x80000000 && e.function != 0x80000001 && e.function != 0x80000008) continue;
      if (e.function == 0x80000008) {
        uint32_t va = (e.eax >> 8) & 0xff;
        if (va != 48 && va != 57) e.eax = (e.eax & ~0xff00u) | (48u << 8);
      }
      ent[kept++] = e;
    }
    head->nent = kept;
    rc = ioctl(vcpu, kSetCpuid2, buf) < 0 ? -errno : 0;
    ::operator delete(buf);
    return rc;
  }
  return -E2BIG;
}

// Puts fresh anonymous memory back where a vCPU's kvm_run was mapped.
void unmapRun(int i) {
  void* p = mmap(g_mem[i].run[0], sizeof g_mem[i].run, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  (void)p;
}

bool validId(const Napi::CallbackInfo& info, size_t at, int* id) {
  if (!info[at].IsNumber()) return false;
  int i = info[at].As<Napi::Number>().Int32Value();
  if (i < 0 || i >= kMaxGuests || !g_guests[i].used) return false;
  *id = i;
  return true;
}

// (kvmFd, vmFd, slotId) -> guest id, or [stage, -errno] naming the step that failed.
Napi::Value GuestCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 3);
  int kvmFd = a.Int(0), vmFd = a.Int(1), slotId = a.Int(2);
  if (!a.ok()) return a.Fail();
  auto failed = [&](const char* stage, int negErrno) {
    Napi::Array a = Napi::Array::New(env, 2);
    a.Set(0u, Napi::String::New(env, stage));
    a.Set(1u, Napi::Number::New(env, negErrno));
    return a;
  };
  int i = 0;
  while (i < kMaxGuests && g_guests[i].used) i++;
  if (i == kMaxGuests) return fail(env, "guestCreate: more than 64 live guests");
  writeCodeAndTables(i);
  kvm_userspace_memory_region r;
  std::memset(&r, 0, sizeof r);
  r.slot = static_cast<uint32_t>(slotId);
  r.guest_phys_addr = kCodeGpa;
  r.memory_size = kCodePages * kPage;
  r.userspace_addr = codeUaddr(i);
  if (ioctl(vmFd, KVM_SET_USER_MEMORY_REGION, &r) < 0) return failed("code memslot", -errno);
  auto undoSlot = [&]() {
    r.memory_size = 0;
    ioctl(vmFd, KVM_SET_USER_MEMORY_REGION, &r);
  };
  int vcpu = ioctl(vmFd, KVM_CREATE_VCPU, 0);
  if (vcpu < 0) {
    int e = errno;
    undoSlot();
    return failed("KVM_CREATE_VCPU", -e);
  }
  const char* stage = "KVM_GET_VCPU_MMAP_SIZE";
  long size = ioctl(kvmFd, KVM_GET_VCPU_MMAP_SIZE, 0);
  int rc = size < 0 ? -errno : 0;
  if (rc == 0 && (size <= 0 || static_cast<size_t>(size) > sizeof g_mem[i].run)) rc = -ENOSPC;
  if (rc == 0) {
    stage = "mmap kvm_run";
    if (mmap(g_mem[i].run[0], size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, vcpu, 0) == MAP_FAILED) rc = -errno;
  }
  if (rc == 0) {
    stage = "KVM_SET_CPUID2";
    rc = setCpuid(kvmFd, vcpu);
  }
  if (rc == 0) {
    stage = "KVM_SET_SREGS (64-bit mode)";
    rc = setLongMode(vcpu);
  }
  if (rc != 0) {
    unmapRun(i);
    close(vcpu);
    undoSlot();
    return failed(stage, rc);
  }
  g_guests[i] = Guest{true, vcpu, static_cast<size_t>(size), false};
  return Napi::Number::New(env, i);
}

// (id) -> 0: closes the vCPU and gives its storage back. The code memslot goes with the VM.
Napi::Value GuestDestroy(const Napi::CallbackInfo& info) {
  int i;
  if (info.Length() != 1 || !validId(info, 0, &i)) return fail(info.Env(), "guestDestroy: not a live guest id");
  unmapRun(i);
  close(g_guests[i].vcpu);
  g_guests[i] = Guest{};
  return Napi::Number::New(info.Env(), 0);
}

// (id, gpa, write, value) -> [0, byte] | [1, gpa, flags] memory fault | [2, gpa] MMIO
//   | [3, exitReason] other exit | [4, -errno] KVM_RUN failed | [5] GPA not addressable.
Napi::Value GuestAccess(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 4);
  const uint64_t gpa = a.Word(1);
  const bool write = a.Bool(2);
  const uint8_t value = a.Byte(3);
  if (!a.ok()) return a.Fail();
  int i;
  if (!validId(info, 0, &i)) return fail(env, "guestAccess: not a live guest id");
  Guest& g = g_guests[i];
  Napi::Array out = Napi::Array::New(env);
  // A PTE holds a 52-bit physical address.
  if (gpa >> 52) {
    out.Set(0u, Napi::Number::New(env, 5));
    return out;
  }
  if (g.needsReset) {
    int rc = setLongMode(g.vcpu);
    if (rc < 0) {
      out.Set(0u, Napi::Number::New(env, 4));
      out.Set(1u, Napi::Number::New(env, rc));
      return out;
    }
    g.needsReset = false;
  }
  pageAt(i, 4)[kWindowIndex] = (gpa & ~(kPage - 1)) | kPteFlags;
  kvm_regs regs;
  std::memset(&regs, 0, sizeof regs);
  regs.rip = kCodeGpa;
  regs.rax = value;
  regs.rbx = kWindowVa + (gpa & (kPage - 1));
  regs.rcx = write ? 1 : 0;
  regs.rflags = 2;
  if (ioctl(g.vcpu, KVM_SET_REGS, &regs) < 0) {
    out.Set(0u, Napi::Number::New(env, 4));
    out.Set(1u, Napi::Number::New(env, -errno));
    return out;
  }
  kvm_run* run = runOf(i);
  bool mmio = false;
  uint64_t mmioGpa = 0;
  // An MMIO exit is completed by running on (a read gets 0) until the code halts, so the next
  // access starts from a clean vCPU; the first MMIO exit is the outcome.
  for (int step = 0; step < 8; step++) {
    run->immediate_exit = 0;
    run->exit_reason = KVM_EXIT_UNKNOWN;  // a failing KVM_RUN that sets no reason must not show a stale one
    int rc = ioctl(g.vcpu, KVM_RUN, 0);
    int e = errno;
    if (rc < 0 && e == EINTR) continue;
    if (rc < 0 && run->exit_reason == kExitMemoryFault && !mmio) {
      // struct kvm_run's exit union starts where the mmio member does: memory_fault {flags, gpa, size}.
      const uint64_t* mf = reinterpret_cast<const uint64_t*>(&run->mmio);
      out.Set(0u, Napi::Number::New(env, 1));
      out.Set(1u, big(env, mf[1]));
      out.Set(2u, big(env, mf[0]));
      return out;
    }
    if (rc < 0) {
      g.needsReset = true;
      out.Set(0u, Napi::Number::New(env, 4));
      out.Set(1u, Napi::Number::New(env, -e));
      return out;
    }
    if (run->exit_reason == KVM_EXIT_MMIO) {
      if (!mmio) mmioGpa = run->mmio.phys_addr;
      mmio = true;
      if (!run->mmio.is_write) std::memset(run->mmio.data, 0, sizeof run->mmio.data);
      continue;
    }
    if (run->exit_reason == KVM_EXIT_HLT) {
      if (mmio) {
        out.Set(0u, Napi::Number::New(env, 2));
        out.Set(1u, big(env, mmioGpa));
        return out;
      }
      if (ioctl(g.vcpu, KVM_GET_REGS, &regs) < 0) {
        out.Set(0u, Napi::Number::New(env, 4));
        out.Set(1u, Napi::Number::New(env, -errno));
        return out;
      }
      out.Set(0u, Napi::Number::New(env, 0));
      out.Set(1u, Napi::Number::New(env, static_cast<double>(regs.rax & 0xFF)));
      return out;
    }
    // SHUTDOWN, INTERNAL_ERROR, FAIL_ENTRY, ...: the vCPU's state is not ours any more.
    g.needsReset = true;
    out.Set(0u, Napi::Number::New(env, 3));
    out.Set(1u, Napi::Number::New(env, run->exit_reason));
    return out;
  }
  g.needsReset = true;
  out.Set(0u, Napi::Number::New(env, 3));
  out.Set(1u, Napi::Number::New(env, run->exit_reason));
  return out;
}

}  // namespace

void InitGuest(Napi::Env env, Napi::Object e) {
  e.Set("guestCreate", Napi::Function::New(env, GuestCreate));
  e.Set("guestDestroy", Napi::Function::New(env, GuestDestroy));
  e.Set("guestAccess", Napi::Function::New(env, GuestAccess));
  Napi::Object g = Napi::Object::New(env);
  g.Set("codeGpa", big(env, kCodeGpa));
  g.Set("codeBytes", Napi::Number::New(env, kCodePages * kPage));
  g.Set("maxGuests", Napi::Number::New(env, kMaxGuests));
  e.Set("guestLayout", g);
}

}  // namespace gm
