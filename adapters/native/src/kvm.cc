// N-API glue for the KVM wrappers of gm_sys.c (/dev/kvm, VM, vCPU and guest_memfd fds). Raw: every
// kernel answer is returned (fd / value, or -errno); the spec decides what is right. Arguments are
// checked by Args (napi_util.h) and nothing is issued unless all of them passed.
#include "gm_sys.h"
#include "napi_util.h"

namespace gm {
namespace {

Napi::Value Num(Napi::Env env, long v) { return Napi::Number::New(env, static_cast<double>(v)); }

Napi::Value OpenKvm(const Napi::CallbackInfo& info) {
  Args a(info, 0);
  if (!a.ok()) return a.Fail();
  return Num(info.Env(), gm_open_kvm());
}

// (fd, nr, arg): an ioctl whose argument is a plain integer (CREATE_VM, CHECK_EXTENSION, ...); the
// request numbers come from spec/vocab/uapi.ts IOCTL on the TypeScript side.
Napi::Value IoctlInt(const Napi::CallbackInfo& info) {
  Args a(info, 3);
  int fd = a.Int(0);
  unsigned long nr = static_cast<uint32_t>(a.Int(1));
  uint64_t arg = a.Word(2);
  if (!a.ok()) return a.Fail();
  return Num(info.Env(), gm_ioctl_arg(fd, nr, arg));
}

// (vmFd, size, flags, reserved[]) -> gmem fd. The struct has 6 reserved words; an array of more is
// refused (the ABI cannot carry it), fewer leave the rest 0.
Napi::Value CreateGmem(const Napi::CallbackInfo& info) {
  uint64_t reserved[6] = {0, 0, 0, 0, 0, 0};
  Args a(info, 4);
  int vm = a.Int(0);
  uint64_t size = a.Word(1), flags = a.Word(2);
  uint32_t n = a.Words(3, reserved, 6);
  if (!a.ok()) return a.Fail();
  return Num(info.Env(), gm_create_gmem(vm, size, flags, reserved, static_cast<int>(n)));
}

// (vmFd, v1, slot, flags, gpa, size, userspaceAddr, gmemFd, gmemOffset)
Napi::Value SetMemoryRegion(const Napi::CallbackInfo& info) {
  Args a(info, 9);
  int vm = a.Int(0);
  bool v1 = a.Bool(1);
  uint32_t slot = static_cast<uint32_t>(a.Int(2)), flags = static_cast<uint32_t>(a.Int(3));
  uint64_t gpa = a.Word(4), size = a.Word(5), uaddr = a.Word(6);
  uint32_t gmem = static_cast<uint32_t>(a.Int(7));
  uint64_t offset = a.Word(8);
  if (!a.ok()) return a.Fail();
  return Num(info.Env(), gm_set_memory_region(vm, v1, slot, flags, gpa, size, uaddr, gmem, offset));
}

// (gmemFd, api: 0 = ATTR2 | 1 = CONVERT, offset, len, toPrivate) -> [rc, errorOffset | null].
Napi::Value Convert(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 5);
  int fd = a.Int(0);
  int api = a.IntIn(1, 0, 1);
  uint64_t offset = a.Word(2), len = a.Word(3);
  bool priv = a.Bool(4);
  if (!a.ok()) return a.Fail();
  uint64_t errOff = ~0ull;
  long rc = gm_convert(fd, api, offset, len, priv, &errOff);
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Num(env, rc));
  out.Set(1u, errOff == ~0ull ? env.Null() : big(env, errOff));
  return out;
}

// (vcpuFd, gpa, size, flags, padding[≤5]) -> [rc, gpa, size]: the range the kernel wrote back.
Napi::Value PreFaultFull(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t padding[5] = {0, 0, 0, 0, 0};
  Args a(info, 5);
  int vcpu = a.Int(0);
  uint64_t gpa = a.Word(1), size = a.Word(2), flags = a.Word(3);
  uint32_t n = a.Words(4, padding, 5);
  if (!a.ok()) return a.Fail();
  uint64_t outGpa = gpa, outSize = size;
  long rc = gm_pre_fault_full(vcpu, gpa, size, flags, padding, static_cast<int>(n), &outGpa, &outSize);
  Napi::Array out = Napi::Array::New(env, 3);
  out.Set(0u, Num(env, rc));
  out.Set(1u, big(env, outGpa));
  out.Set(2u, big(env, outSize));
  return out;
}

// (vmFd, slot, flags, gpa, size, uaddr, gmemFd, gmemOffset, pad1, pad2[≤14]) -> rc (SLOT-20).
Napi::Value SetMemoryRegionPad(const Napi::CallbackInfo& info) {
  uint64_t pad2[14] = {0};
  Args a(info, 10);
  int vm = a.Int(0);
  uint32_t slot = static_cast<uint32_t>(a.Int(1)), flags = static_cast<uint32_t>(a.Int(2));
  uint64_t gpa = a.Word(3), size = a.Word(4), uaddr = a.Word(5);
  uint32_t gmem = static_cast<uint32_t>(a.Int(6));
  uint64_t offset = a.Word(7);
  uint32_t pad1 = static_cast<uint32_t>(a.Int(8));
  uint32_t n = a.Words(9, pad2, 14);
  if (!a.ok()) return a.Fail();
  return Num(info.Env(), gm_set_memory_region_pad(vm, slot, flags, gpa, size, uaddr, gmem, offset, pad1, pad2, static_cast<int>(n)));
}

}  // namespace

void InitKvm(Napi::Env env, Napi::Object e) {
  e.Set("openKvm", Napi::Function::New(env, OpenKvm));
  e.Set("ioctlInt", Napi::Function::New(env, IoctlInt));
  e.Set("createGmem", Napi::Function::New(env, CreateGmem));
  e.Set("setMemoryRegion", Napi::Function::New(env, SetMemoryRegion));
  e.Set("convert", Napi::Function::New(env, Convert));
  e.Set("preFaultFull", Napi::Function::New(env, PreFaultFull));
  e.Set("setMemoryRegionPad", Napi::Function::New(env, SetMemoryRegionPad));
}

}  // namespace gm
