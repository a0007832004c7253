// KVM ioctls on /dev/kvm, VM fds, vCPU fds and guest_memfd fds. Raw: every kernel answer is
// returned (fd / value, or -errno), nothing is validated here; the spec decides what is right.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstring>

#include "napi_util.h"
#include "uapi.h"

namespace gm {
namespace {

Napi::Value OpenKvm(const Napi::CallbackInfo& info) {
  return rcOrErrno(info.Env(), open("/dev/kvm", O_RDWR | O_CLOEXEC));
}

// (fd, nr, arg): an ioctl whose argument is a plain integer (CREATE_VM, CHECK_EXTENSION, ...).
Napi::Value IoctlInt(const Napi::CallbackInfo& info) {
  return rcOrErrno(info.Env(), ioctl(argInt(info, 0), static_cast<unsigned long>(argU64(info, 1)), argU64(info, 2)));
}

// (vmFd, size, flags, reserved[]) -> gmem fd. Reserved words beyond the array are 0.
Napi::Value CreateGmem(const Napi::CallbackInfo& info) {
  kvm_create_guest_memfd c;
  std::memset(&c, 0, sizeof c);
  c.size = argU64(info, 1);
  c.flags = argU64(info, 2);
  Napi::Array res = info[3].As<Napi::Array>();
  for (uint32_t i = 0; i < res.Length() && i < 6; i++) {
    bool lossless = false;
    c.reserved[i] = res.Get(i).As<Napi::BigInt>().Uint64Value(&lossless);
  }
  return rcOrErrno(info.Env(), ioctl(argInt(info, 0), KVM_CREATE_GUEST_MEMFD, &c));
}

// (vmFd, v1, slot, flags, gpa, size, userspaceAddr, gmemFd, gmemOffset). v1 uses the 32-byte
// prefix of the same layout (KR §1.2: the first 32 bytes equal struct kvm_userspace_memory_region).
Napi::Value SetMemoryRegion(const Napi::CallbackInfo& info) {
  kvm_userspace_memory_region2 r;
  std::memset(&r, 0, sizeof r);
  r.slot = static_cast<uint32_t>(argU64(info, 2));
  r.flags = static_cast<uint32_t>(argU64(info, 3));
  r.guest_phys_addr = argU64(info, 4);
  r.memory_size = argU64(info, 5);
  r.userspace_addr = argU64(info, 6);
  r.guest_memfd = static_cast<uint32_t>(argInt(info, 7));
  r.guest_memfd_offset = argU64(info, 8);
  unsigned long nr = argBool(info, 1) ? KVM_SET_USER_MEMORY_REGION : KVM_SET_USER_MEMORY_REGION2;
  return rcOrErrno(info.Env(), ioctl(argInt(info, 0), nr, &r));
}

// (vmFd, gpa, size, attributes): VM-level KVM_SET_MEMORY_ATTRIBUTES, flags 0.
Napi::Value SetMemoryAttributes(const Napi::CallbackInfo& info) {
  kvm_memory_attributes a{argU64(info, 1), argU64(info, 2), argU64(info, 3), 0};
  return rcOrErrno(info.Env(), ioctl(argInt(info, 0), KVM_SET_MEMORY_ATTRIBUTES, &a));
}

// (gmemFd, api: 0 = ATTR2 | 1 = CONVERT, offset, len, toPrivate) -> [rc, errorOffset | null].
// error_offset starts as all-ones so that only a value the kernel wrote is reported.
Napi::Value Convert(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = argInt(info, 0);
  bool priv = argBool(info, 4);
  constexpr uint64_t kUnset = ~0ull;
  long rc;
  uint64_t errOff;
  if (argInt(info, 1) == 0) {
    kvm_memory_attributes2 a;
    std::memset(&a, 0, sizeof a);
    a.offset = argU64(info, 2);
    a.size = argU64(info, 3);
    a.attributes = priv ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
    a.error_offset = kUnset;
    rc = ioctl(fd, KVM_SET_MEMORY_ATTRIBUTES2, &a);
    errOff = a.error_offset;
  } else {
    kvm_gmem_convert c;
    std::memset(&c, 0, sizeof c);
    c.offset = argU64(info, 2);
    c.size = argU64(info, 3);
    c.error_offset = kUnset;
    rc = ioctl(fd, priv ? KVM_GMEM_CONVERT_PRIVATE : KVM_GMEM_CONVERT_SHARED, &c);
    errOff = c.error_offset;
  }
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, rcOrErrno(env, rc));
  out.Set(1u, errOff == kUnset ? env.Null() : big(env, errOff));
  return out;
}

// (vcpuFd, gpa, size): KVM_PRE_FAULT_MEMORY, used by the probe only.
Napi::Value PreFault(const Napi::CallbackInfo& info) {
  kvm_pre_fault_memory p;
  std::memset(&p, 0, sizeof p);
  p.gpa = argU64(info, 1);
  p.size = argU64(info, 2);
  return rcOrErrno(info.Env(), ioctl(argInt(info, 0), KVM_PRE_FAULT_MEMORY, &p));
}

}  // namespace

void InitKvm(Napi::Env env, Napi::Object e) {
  e.Set("openKvm", Napi::Function::New(env, OpenKvm));
  e.Set("ioctlInt", Napi::Function::New(env, IoctlInt));
  e.Set("createGmem", Napi::Function::New(env, CreateGmem));
  e.Set("setMemoryRegion", Napi::Function::New(env, SetMemoryRegion));
  e.Set("setMemoryAttributes", Napi::Function::New(env, SetMemoryAttributes));
  e.Set("convert", Napi::Function::New(env, Convert));
  e.Set("preFault", Napi::Function::New(env, PreFault));
  Napi::Object nr = Napi::Object::New(env);
  nr.Set("KVM_GET_API_VERSION", Napi::Number::New(env, KVM_GET_API_VERSION));
  nr.Set("KVM_CREATE_VM", Napi::Number::New(env, KVM_CREATE_VM));
  nr.Set("KVM_CHECK_EXTENSION", Napi::Number::New(env, KVM_CHECK_EXTENSION));
  nr.Set("KVM_CREATE_VCPU", Napi::Number::New(env, KVM_CREATE_VCPU));
  e.Set("nr", nr);
}

}  // namespace gm
