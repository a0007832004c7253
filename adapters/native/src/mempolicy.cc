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
  Args a(info, 5);
  uint64_t addr = a.Word(0), len = a.Word(1);
  int mode = a.Int(2);
  unsigned long nodes = a.Word(3);
  unsigned flags = static_cast<unsigned>(a.Int(4));
  if (!a.ok()) return a.Fail();
  return rcOrErrno(info.Env(), syscall(SYS_MBIND_, addr, len, mode, &nodes, kMaxNode, flags));
}

// (addr, nodeQuery) -> [rc, mode-or-node, nodes]. MPOL_F_ADDR, plus MPOL_F_NODE when nodeQuery.
Napi::Value GetMempolicy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 2);
  uint64_t addr = a.Word(0);
  int flags = MPOL_F_ADDR_ | (a.Bool(1) ? MPOL_F_NODE_ : 0);
  if (!a.ok()) return a.Fail();
  int mode = -1;
  unsigned long nodes = 0;
  long rc = syscall(SYS_GET_MEMPOLICY_, &mode, &nodes, kMaxNode, addr, flags);
  Napi::Array arr = Napi::Array::New(env, 3);
  arr.Set(0u, rcOrErrno(env, rc));
  arr.Set(1u, Napi::Number::New(env, mode));
  arr.Set(2u, Napi::Number::New(env, static_cast<double>(nodes)));
  return arr;
}

// (mode, nodes): the calling thread's policy (the target resets it to DEFAULT on close()).
Napi::Value SetMempolicy(const Napi::CallbackInfo& info) {
  Args a(info, 2);
  int mode = a.Int(0);
  unsigned long nodes = a.Word(1);
  if (!a.ok()) return a.Fail();
  return rcOrErrno(info.Env(), syscall(SYS_SET_MEMPOLICY_, mode, &nodes, kMaxNode));
}

}  // namespace

void InitMempolicy(Napi::Env env, Napi::Object e) {
  e.Set("mbind", Napi::Function::New(env, Mbind));
  e.Set("getMempolicy", Napi::Function::New(env, GetMempolicy));
  e.Set("setMempolicy", Napi::Function::New(env, SetMempolicy));
}

}  // namespace gm
