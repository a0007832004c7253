// N-API glue for the fd-level wrappers of gm_sys.c (issue 15) that move buffers or fill
// out-parameters: lseek with a raw whence (the offset comes back through *pos), vectored I/O,
// sync/attribute/statfs calls (fstatfs's fields), fcntl (the value a lock or lease query saw).
// The splice family, SCM_RIGHTS passing and /proc/self/fd re-opening take scalars only and are
// exports.cc's (their bounds are checked in gm_sys.c). Raw: result or -errno. Arguments are
// checked by Args (napi_util.h) and nothing is issued unless all of them passed.
#include "gm_sys.h"
#include "napi_util.h"

namespace gm {
namespace {

constexpr uint64_t kMaxFdIo = GM_FD_IO_MAX;  // spec/vocab/ops-fd.ts FD_IO_MAX_BYTES
constexpr int32_t kMaxIov = 1025;     // IOV_COUNT_MAX

Napi::Value Num(Napi::Env env, long v) { return Napi::Number::New(env, static_cast<double>(v)); }

// (fd, offset, whence u32) -> BigInt offset (signed: a kernel may return a negative one) | -errno
Napi::Value Lseek(const Napi::CallbackInfo& info) {
  Args a(info, 3);
  int fd = a.Int(0);
  int64_t offset = static_cast<int64_t>(a.Word(1));
  uint64_t whence = a.Size(2, 0xffffffffULL);
  if (!a.ok()) return a.Fail();
  int64_t pos = 0;
  long r = gm_lseek(fd, offset, static_cast<unsigned int>(whence), &pos);
  return r == 0 ? Napi::BigInt::New(info.Env(), pos) : Num(info.Env(), r);
}

// (fd, call 0..5, offset, len, iovcnt, rwf, value) -> count | -errno. Writes send len bytes of value.
Napi::Value FileIov(const Napi::CallbackInfo& info) {
  Args a(info, 7);
  int fd = a.Int(0);
  int call = a.IntIn(1, 0, 5);
  int64_t offset = static_cast<int64_t>(a.Word(2));
  uint64_t len = a.Size(3, kMaxFdIo);
  int iovcnt = a.IntIn(4, 0, kMaxIov);
  int rwf = a.Int(5);
  uint8_t value = a.Byte(6);
  if (!a.ok()) return a.Fail();
  size_t mapped = 0;
  uint8_t* buf = gm_buf_take(len, call % 2 == 1 ? value : 0, &mapped);
  if (buf == nullptr) return fail(info.Env(), "fileIoV: no memory for the I/O buffer");
  long rc = gm_file_iov(fd, call, offset, buf, len, iovcnt, rwf);
  gm_buf_give(buf, mapped);
  if (rc == GM_NO_SCRATCH) return fail(info.Env(), "fileIoV: no memory for the iovec array");
  return Num(info.Env(), rc);
}

// (fd, call 0..6, mode u32) -> rc, or [rc, f_type, f_bsize, f_namelen] for fstatfs
Napi::Value FdMeta(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 3);
  int fd = a.Int(0);
  int call = a.IntIn(1, 0, 6);
  uint64_t mode = a.Size(2, 0xffffffffULL);
  if (!a.ok()) return a.Fail();
  uint64_t st[3] = {0, 0, 0};
  long rc = gm_fd_meta(fd, call, static_cast<unsigned int>(mode), st);
  if (call != 6) return Num(env, rc);
  Napi::Array r = Napi::Array::New(env, 4);
  r.Set(0u, Num(env, rc));
  for (uint32_t i = 0; i < 3; i++) r.Set(i + 1, Napi::Number::New(env, static_cast<double>(st[i])));
  return r;
}

// (fd, cmd, arg u64) -> [rc, value]
Napi::Value Fcntl(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 3);
  int fd = a.Int(0);
  int cmd = a.IntIn(1, 0, 2048);
  uint64_t arg = a.Word(2);
  if (!a.ok()) return a.Fail();
  long value = 0;
  long rc = gm_fcntl(fd, cmd, arg, &value);
  Napi::Array r = Napi::Array::New(env, 2);
  r.Set(0u, Num(env, rc));
  r.Set(1u, Num(env, value));
  return r;
}

// (fd, req: an ioctl number or -1 for close_range's CLOEXEC, arg u32) -> [rc, value]; rc GM_BAD_ARG for another req
Napi::Value FdIoctl(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 3);
  int fd = a.Int(0);
  int64_t req = static_cast<int64_t>(a.Word(1));  // gm_fd_ioctl refuses anything but -1 and a u32
  uint64_t arg = a.Size(2, 0xffffffffULL);
  if (!a.ok()) return a.Fail();
  int64_t value = 0;
  long rc = gm_fd_ioctl(fd, req, static_cast<uint32_t>(arg), &value);
  Napi::Array r = Napi::Array::New(env, 2);
  r.Set(0u, Num(env, rc));
  r.Set(1u, Num(env, static_cast<long>(value)));
  return r;
}

}  // namespace

void InitFdIo(Napi::Env env, Napi::Object e) {
  e.Set("lseek", Napi::Function::New(env, Lseek));
  e.Set("fileIov", Napi::Function::New(env, FileIov));
  e.Set("fdMeta", Napi::Function::New(env, FdMeta));
  e.Set("fcntl", Napi::Function::New(env, Fcntl));
  e.Set("fdIoctl", Napi::Function::New(env, FdIoctl));
}

}  // namespace gm
