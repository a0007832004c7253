// N-API glue of the NUMA wrappers of gm_sys.c that fill out-parameters (issue 15): get_mempolicy
// with its whole unsigned long flags word, one numa_maps line, move_pages with its status array.
#include "gm_sys.h"
#include "napi_util.h"

namespace gm {
namespace {

// (addr u64, flags u64) -> [rc, mode-or-node, nodes]
Napi::Value GetMempolicyFlags(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 2);
  uint64_t addr = a.Word(0);
  uint64_t flags = a.Word(1);
  if (!a.ok()) return a.Fail();
  int mode = -1;
  unsigned long nodes = 0;
  long rc = gm_get_mempolicy_flags(addr, flags, &mode, &nodes);
  Napi::Array arr = Napi::Array::New(env, 3);
  arr.Set(0u, Napi::Number::New(env, static_cast<double>(rc)));
  arr.Set(1u, Napi::Number::New(env, mode));
  arr.Set(2u, big(env, nodes));
  return arr;
}

// (addr u64) -> -errno | 0 (no VMA holds addr) | [start, policy, file, pages, anon, n0]
Napi::Value NumaMaps(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 1);
  uint64_t addr = a.Word(0);
  if (!a.ok()) return a.Fail();
  struct gm_numa_maps n;
  long rc = gm_numa_maps(addr, &n);
  if (rc <= 0) return Napi::Number::New(env, static_cast<double>(rc));
  Napi::Array r = Napi::Array::New(env, 6);
  r.Set(0u, Napi::BigInt::New(env, n.start));
  r.Set(1u, Napi::String::New(env, n.policy));
  r.Set(2u, Napi::String::New(env, n.file));
  r.Set(3u, Napi::Number::New(env, static_cast<double>(n.pages)));
  r.Set(4u, Napi::Number::New(env, static_cast<double>(n.anon)));
  r.Set(5u, Napi::Number::New(env, static_cast<double>(n.n0)));
  return r;
}

// (base u64, len u64, offset i64, pages, move, node, flags) -> [rc, status per page]
Napi::Value MovePages(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 7);
  uint64_t base = a.Word(0), len = a.Word(1);
  int64_t offset = static_cast<int64_t>(a.Word(2));
  int pages = a.IntIn(3, 0, GM_MOVE_PAGES_MAX);
  bool move = a.Bool(4);
  int node = a.Int(5), flags = a.Int(6);
  if (!a.ok()) return a.Fail();
  int status[GM_MOVE_PAGES_MAX];
  long rc = gm_move_pages(base, len, offset, pages, move ? 1 : 0, node, flags, status);
  Napi::Array st = Napi::Array::New(env, pages);
  for (int i = 0; i < pages; i++) st.Set(static_cast<uint32_t>(i), Napi::Number::New(env, status[i]));
  Napi::Array r = Napi::Array::New(env, 2);
  r.Set(0u, Napi::Number::New(env, static_cast<double>(rc)));
  r.Set(1u, st);
  return r;
}

}  // namespace

void InitNuma(Napi::Env env, Napi::Object e) {
  e.Set("getMempolicyFlags", Napi::Function::New(env, GetMempolicyFlags));
  e.Set("numaMaps", Napi::Function::New(env, NumaMaps));
  e.Set("movePages", Napi::Function::New(env, MovePages));
}

}  // namespace gm
