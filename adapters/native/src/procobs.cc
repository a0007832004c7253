// N-API glue of the procfs query wrappers of gm_sys.c (issue 15): gm_procmap_query (PROCMAP_QUERY,
// the structure as the kernel left it), gm_pagemap_scan (PAGEMAP_SCAN, walk_end and the regions) and
// gm_map_files (/proc/self/map_files: the link read).
#include "gm_sys.h"
#include "napi_util.h"

namespace gm {
namespace {

// (addr, size, flags u64, nameSize u32, buildId 0..3, tail bool) -> -errno | [the 13 words of struct procmap_query, name, bidAsked]
Napi::Value ProcmapQuery(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 6);
  uint64_t addr = a.Word(0), size = a.Word(1), flags = a.Word(2);
  uint64_t name_size = a.Word(3);
  int build_id = a.Int(4);
  int tail = a.Bool(5) ? 1 : 0;
  if (!a.ok()) return a.Fail();
  if (name_size > 0xffffffffULL || build_id < 0 || build_id > 3) return Napi::Number::New(env, static_cast<double>(GM_BAD_ARG));
  struct gm_procmap out;
  long rc = gm_procmap_query(addr, size, flags, static_cast<uint32_t>(name_size), build_id, tail, &out);
  if (rc < 0) return Napi::Number::New(env, static_cast<double>(rc));
  Napi::Array r = Napi::Array::New(env, 3);
  Napi::Array q = Napi::Array::New(env, 13);
  for (uint32_t i = 0; i < 13; i++) q.Set(i, Napi::BigInt::New(env, out.q[i]));
  r.Set(0u, q);
  out.name[sizeof out.name - 1] = 0;
  r.Set(1u, Napi::String::New(env, out.name));
  r.Set(2u, Napi::Boolean::New(env, out.bid_asked != 0));
  return r;
}

// (size, flags, start, end, inverted, mask, anyof, return, vecNull bool, vecLen, maxPages) -> -errno | [n, walkEnd, [[start, end, categories]…]]
Napi::Value PagemapScan(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 11);
  struct gm_pm_scan s;
  s.size = a.Word(0), s.flags = a.Word(1), s.start = a.Word(2), s.end = a.Word(3);
  s.category_inverted = a.Word(4), s.category_mask = a.Word(5), s.category_anyof_mask = a.Word(6), s.return_mask = a.Word(7);
  s.vec_null = a.Bool(8) ? 1 : 0;
  s.vec_len = a.Word(9), s.max_pages = a.Word(10);
  if (!a.ok()) return a.Fail();
  long rc = gm_pagemap_scan(&s);
  if (rc < 0) return Napi::Number::New(env, static_cast<double>(rc));
  Napi::Array r = Napi::Array::New(env, 3);
  r.Set(0u, Napi::Number::New(env, static_cast<double>(rc)));
  r.Set(1u, Napi::BigInt::New(env, s.walk_end));
  long n = rc < 8 ? rc : 8;
  Napi::Array regions = Napi::Array::New(env, n);
  for (long i = 0; i < n; i++) {
    Napi::Array g = Napi::Array::New(env, 3);
    for (uint32_t j = 0; j < 3; j++) g.Set(j, Napi::BigInt::New(env, s.regions[i][j]));
    regions.Set(static_cast<uint32_t>(i), g);
  }
  r.Set(2u, regions);
  return r;
}

// (addr, how 0..3) -> -errno | [link] (readlink) | 0 (open)
Napi::Value MapFiles(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 2);
  uint64_t addr = a.Word(0);
  int how = a.Int(1);
  if (!a.ok()) return a.Fail();
  char link[512];
  long rc = gm_map_files(addr, how, link, sizeof link);
  if (rc < 0 || how != 0) return Napi::Number::New(env, static_cast<double>(rc));
  Napi::Array r = Napi::Array::New(env, 1);
  r.Set(0u, Napi::String::New(env, link));
  return r;
}

}  // namespace

void InitProcobs(Napi::Env env, Napi::Object e) {
  e.Set("procmapQuery", Napi::Function::New(env, ProcmapQuery));
  e.Set("pagemapScan", Napi::Function::New(env, PagemapScan));
  e.Set("mapFiles", Napi::Function::New(env, MapFiles));
}

}  // namespace gm
