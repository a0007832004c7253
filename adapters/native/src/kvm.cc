// N-API glue for the KVM wrappers of gm_sys.c (/dev/kvm, VM, vCPU and guest_memfd fds). Raw: every
// kernel answer is returned (fd / value, or -errno); the spec decides what is right.
#include "gm_sys.h"
#include "napi_util.h"

namespace gm {
namespace {

Napi::Value OpenKvm(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), static_cast<double>(gm_open_kvm())); }

// (fd, nr, arg): an ioctl whose argument is a plain integer (CREATE_VM, CHECK_EXTENSION, ...); the
// request numbers come from spec/vocab/uapi.ts IOCTL on the TypeScript side.
Napi::Value IoctlInt(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(gm_ioctl_arg(argInt(info, 0), static_cast<unsigned long>(argU64(info, 1)), argU64(info, 2))));
}

// (vmFd, size, flags, reserved[]) -> gmem fd. Reserved words beyond the array are 0 (at most 6 are passed).
Napi::Value CreateGmem(const Napi::CallbackInfo& info) {
  uint64_t reserved[6] = {0, 0, 0, 0, 0, 0};
  Napi::Array res = info[3].As<Napi::Array>();
  int n = 0;
  for (uint32_t i = 0; i < res.Length() && i < 6; i++, n++) {
    bool lossless = false;
    reserved[i] = res.Get(i).As<Napi::BigInt>().Uint64Value(&lossless);
  }
  return Napi::Number::New(info.Env(), static_cast<double>(gm_create_gmem(argInt(info, 0), argU64(info, 1), argU64(info, 2), reserved, n)));
}

// (vmFd, v1, slot, flags, gpa, size, userspaceAddr, gmemFd, gmemOffset)
Napi::Value SetMemoryRegion(const Napi::CallbackInfo& info) {
  long rc = gm_set_memory_region(argInt(info, 0), argBool(info, 1), static_cast<uint32_t>(argU64(info, 2)), static_cast<uint32_t>(argU64(info, 3)),
                                 argU64(info, 4), argU64(info, 5), argU64(info, 6), static_cast<uint32_t>(argInt(info, 7)), argU64(info, 8));
  return Napi::Number::New(info.Env(), static_cast<double>(rc));
}

// (vmFd, gpa, size, attributes): VM-level KVM_SET_MEMORY_ATTRIBUTES, flags 0.
Napi::Value SetMemoryAttributes(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(gm_set_memory_attributes(argInt(info, 0), argU64(info, 1), argU64(info, 2), argU64(info, 3))));
}

// (gmemFd, api: 0 = ATTR2 | 1 = CONVERT, offset, len, toPrivate) -> [rc, errorOffset | null].
Napi::Value Convert(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t errOff = ~0ull;
  long rc = gm_convert(argInt(info, 0), argInt(info, 1), argU64(info, 2), argU64(info, 3), argBool(info, 4), &errOff);
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, static_cast<double>(rc)));
  out.Set(1u, errOff == ~0ull ? env.Null() : big(env, errOff));
  return out;
}

// (vcpuFd, gpa, size): KVM_PRE_FAULT_MEMORY, used by the probe only.
Napi::Value PreFault(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(gm_pre_fault(argInt(info, 0), argU64(info, 1), argU64(info, 2))));
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
}

}  // namespace gm
