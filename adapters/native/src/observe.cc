// N-API glue of the observation wrappers of gm_sys.c (issue 15) that fill a structure or buffers:
// gm_smaps (one /proc/self/smaps entry), gm_fd_info (/proc/self/fdinfo/N and the fd's link). pagemap takes and returns scalars and is exports.cc's.
#include "gm_sys.h"
#include "napi_util.h"

namespace gm {
namespace {

// (addr u64) -> -errno | 0 (no VMA holds addr) | [start, end, kB counts in GM_SMAPS_* order, THPeligible, VmFlags, perms, offset, name]
Napi::Value Smaps(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 1);
  uint64_t addr = a.Word(0);
  if (!a.ok()) return a.Fail();
  struct gm_smaps s;
  long rc = gm_smaps(addr, &s);
  if (rc <= 0) return Napi::Number::New(env, static_cast<double>(rc));
  Napi::Array r = Napi::Array::New(env, 8);
  r.Set(0u, Napi::BigInt::New(env, s.start));
  r.Set(1u, Napi::BigInt::New(env, s.end));
  Napi::Array kb = Napi::Array::New(env, GM_SMAPS_NFIELDS);
  for (uint32_t i = 0; i < GM_SMAPS_NFIELDS; i++) kb.Set(i, Napi::Number::New(env, static_cast<double>(s.kb[i])));
  r.Set(2u, kb);
  r.Set(3u, Napi::Number::New(env, s.thp));
  r.Set(4u, Napi::String::New(env, s.flags));
  r.Set(5u, Napi::String::New(env, s.perms));
  r.Set(6u, Napi::BigInt::New(env, s.offset));
  r.Set(7u, Napi::String::New(env, s.name));
  return r;
}

// (fd) -> -errno | [pos BigInt, flags, link]
Napi::Value FdInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 1);
  int fd = a.Int(0);
  if (!a.ok()) return a.Fail();
  int64_t pos = 0;
  long flags = 0;
  char link[512];
  long rc = gm_fd_info(fd, &pos, &flags, link, sizeof link);
  if (rc < 0) return Napi::Number::New(env, static_cast<double>(rc));
  Napi::Array r = Napi::Array::New(env, 3);
  r.Set(0u, Napi::BigInt::New(env, pos));
  r.Set(1u, Napi::Number::New(env, static_cast<double>(flags)));
  r.Set(2u, Napi::String::New(env, link));
  return r;
}

}  // namespace

void InitObserve(Napi::Env env, Napi::Object e) {
  e.Set("smaps", Napi::Function::New(env, Smaps));
  e.Set("fdInfo", Napi::Function::New(env, FdInfo));
}

}  // namespace gm
