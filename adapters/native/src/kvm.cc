// KVM ioctls on /dev/kvm, VM fds, vCPU fds and guest_memfd fds. Raw: every kernel answer is
// returned (fd / value, or -errno); the spec decides what is right. Arguments are checked by
// Args (napi_util.h) and nothing is issued unless all of them passed.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstring>

#include "napi_util.h"
#include "uapi.h"

namespace gm {
namespace {

Napi::Value OpenKvm(const Napi::CallbackInfo& info) {
  Args a(info, 0);
  if (!a.ok()) return a.Fail();
  return rcOrErrno(info.Env(), open("/dev/kvm", O_RDWR | O_CLOEXEC));
}

// (fd, nr, arg): an ioctl whose argument is a plain integer (CREATE_VM, CHECK_EXTENSION, ...).
Napi::Value IoctlInt(const Napi::CallbackInfo& info) {
  Args a(info, 3);
  int fd = a.Int(0);
  unsigned long nr = static_cast<uint32_t>(a.Int(1));
  uint64_t arg = a.Word(2);
  if (!a.ok()) return a.Fail();
  return rcOrErrno(info.Env(), ioctl(fd, nr, arg));
}

// (vmFd, size, flags, reserved[]) -> gmem fd. The struct has 6 reserved words (KR §1.2); an array
// of more is refused (the ABI cannot carry it), fewer leave the rest 0.
Napi::Value CreateGmem(const Napi::CallbackInfo& info) {
  kvm_create_guest_memfd c;
  std::memset(&c, 0, sizeof c);
  Args a(info, 4);
  int vm = a.Int(0);
  c.size = a.Word(1);
  c.flags = a.Word(2);
  a.Words(3, c.reserved, 6);
  if (!a.ok()) return a.Fail();
  return rcOrErrno(info.Env(), ioctl(vm, KVM_CREATE_GUEST_MEMFD, &c));
}

// (vmFd, v1, slot, flags, gpa, size, userspaceAddr, gmemFd, gmemOffset). v1 uses the 32-byte
// prefix of the same layout (KR §1.2: the first 32 bytes equal struct kvm_userspace_memory_region).
Napi::Value SetMemoryRegion(const Napi::CallbackInfo& info) {
  kvm_userspace_memory_region2 r;
  std::memset(&r, 0, sizeof r);
  Args a(info, 9);
  int vm = a.Int(0);
  bool v1 = a.Bool(1);
  r.slot = static_cast<uint32_t>(a.Int(2));
  r.flags = static_cast<uint32_t>(a.Int(3));
  r.guest_phys_addr = a.Word(4);
  r.memory_size = a.Word(5);
  r.userspace_addr = a.Word(6);
  r.guest_memfd = static_cast<uint32_t>(a.Int(7));
  r.guest_memfd_offset = a.Word(8);
  if (!a.ok()) return a.Fail();
  return rcOrErrno(info.Env(), ioctl(vm, v1 ? KVM_SET_USER_MEMORY_REGION : KVM_SET_USER_MEMORY_REGION2, &r));
}

// (vmFd, gpa, size, attributes): VM-level KVM_SET_MEMORY_ATTRIBUTES, flags 0.
Napi::Value SetMemoryAttributes(const Napi::CallbackInfo& info) {
  Args a(info, 4);
  int vm = a.Int(0);
  kvm_memory_attributes m{a.Word(1), a.Word(2), a.Word(3), 0};
  if (!a.ok()) return a.Fail();
  return rcOrErrno(info.Env(), ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &m));
}

// (gmemFd, api: 0 = ATTR2 | 1 = CONVERT, offset, len, toPrivate) -> [rc, errorOffset | null].
// error_offset starts as all-ones so that only a value the kernel wrote is reported.
Napi::Value Convert(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 5);
  int fd = a.Int(0);
  int api = a.Int(1);
  uint64_t offset = a.Word(2), size = a.Word(3);
  bool priv = a.Bool(4);
  if (!a.ok()) return a.Fail();
  constexpr uint64_t kUnset = ~0ull;
  long rc;
  uint64_t errOff;
  if (api == 0) {
    kvm_memory_attributes2 m;
    std::memset(&m, 0, sizeof m);
    m.offset = offset;
    m.size = size;
    m.attributes = priv ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
    m.error_offset = kUnset;
    rc = ioctl(fd, KVM_SET_MEMORY_ATTRIBUTES2, &m);
    errOff = m.error_offset;
  } else {
    kvm_gmem_convert c;
    std::memset(&c, 0, sizeof c);
    c.offset = offset;
    c.size = size;
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
  Args a(info, 3);
  int fd = a.Int(0);
  p.gpa = a.Word(1);
  p.size = a.Word(2);
  if (!a.ok()) return a.Fail();
  return rcOrErrno(info.Env(), ioctl(fd, KVM_PRE_FAULT_MEMORY, &p));
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
