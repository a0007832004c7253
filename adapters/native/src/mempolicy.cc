// NUMA mempolicy through raw syscalls (glibc has no wrappers; libnuma is not a dependency).
// Node sets are one unsigned long bitmask; maxnode 64 (one word) is enough for any host we probe.
#include <sys/syscall.h>
#include <unistd.h>

#include "napi_util.h"
#include "uapi.h"

namespace gm {
namespace {

constexpr unsigned long kMaxNode = 64;

// (addr, len, mode, nodes, flags)
Napi::Value Mbind(const Napi::CallbackInfo& info) {
  unsigned long nodes = argU64(info, 3);
  return rcOrErrno(info.Env(), syscall(SYS_MBIND_, argU64(info, 0), argU64(info, 1), argInt(info, 2), &nodes,
                                       kMaxNode, static_cast<unsigned>(argInt(info, 4))));
}

// (addr, nodeQuery) -> [rc, mode-or-node, nodes]. MPOL_F_ADDR, plus MPOL_F_NODE when nodeQuery.
Napi::Value GetMempolicy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int mode = -1;
  unsigned long nodes = 0;
  int flags = MPOL_F_ADDR_ | (argBool(info, 1) ? MPOL_F_NODE_ : 0);
  long rc = syscall(SYS_GET_MEMPOLICY_, &mode, &nodes, kMaxNode, argU64(info, 0), flags);
  Napi::Array a = Napi::Array::New(env, 3);
  a.Set(0u, rcOrErrno(env, rc));
  a.Set(1u, Napi::Number::New(env, mode));
  a.Set(2u, Napi::Number::New(env, static_cast<double>(nodes)));
  return a;
}

// (mode, nodes): the calling thread's policy (the target resets it to DEFAULT on close()).
Napi::Value SetMempolicy(const Napi::CallbackInfo& info) {
  unsigned long nodes = argU64(info, 1);
  return rcOrErrno(info.Env(), syscall(SYS_SET_MEMPOLICY_, argInt(info, 0), &nodes, kMaxNode));
}

}  // namespace

void InitMempolicy(Napi::Env env, Napi::Object e) {
  e.Set("mbind", Napi::Function::New(env, Mbind));
  e.Set("getMempolicy", Napi::Function::New(env, GetMempolicy));
  e.Set("setMempolicy", Napi::Function::New(env, SetMempolicy));
}

}  // namespace gm
