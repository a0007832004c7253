// N-API glue for the file-descriptor wrappers of gm_sys.c that move buffers or structures:
// memfd_create, fstat, fcntl flags, read/write/pread/pwrite/lseek/fsync (close, dup, ftruncate,
// fallocate and fstatfs take scalars only: exports.cc). Raw: result or -errno.
// Arguments are checked by Args (napi_util.h) and nothing is issued unless all of them passed.
#include "gm_sys.h"
#include "napi_util.h"

namespace gm {
namespace {

Napi::Value Num(Napi::Env env, long v) { return Napi::Number::New(env, static_cast<double>(v)); }

// (size) -> fd: the shmem control backing (memfd_create + ftruncate).
Napi::Value MemfdCreate(const Napi::CallbackInfo& info) {
  Args a(info, 1);
  int64_t size = static_cast<int64_t>(a.Word(0));
  if (!a.ok()) return a.Fail();
  return Num(info.Env(), gm_memfd_create(size));
}

// (fd) -> [rc, size, blksize, mode, dev, ino]
Napi::Value Fstat(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args args(info, 1);
  int fd = args.Int(0);
  if (!args.ok()) return args.Fail();
  gm_stat st{};
  long rc = gm_fstat(fd, &st);
  Napi::Array a = Napi::Array::New(env, 6);
  a.Set(0u, Num(env, rc));
  a.Set(1u, big(env, st.size));
  a.Set(2u, Napi::Number::New(env, static_cast<double>(st.blksize)));
  a.Set(3u, Napi::Number::New(env, static_cast<double>(st.mode)));
  a.Set(4u, big(env, st.dev));
  a.Set(5u, big(env, st.ino));
  return a;
}

// (fd) -> [rc, O_ACCMODE bits, cloexec 0/1]
Napi::Value FdFlags(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args args(info, 1);
  int fd = args.Int(0);
  if (!args.ok()) return args.Fail();
  int acc = 0, cloexec = 0;
  long rc = gm_fd_flags(fd, &acc, &cloexec);
  Napi::Array a = Napi::Array::New(env, 3);
  a.Set(0u, Num(env, rc));
  a.Set(1u, Napi::Number::New(env, acc));
  a.Set(2u, Napi::Number::New(env, cloexec));
  return a;
}

// (fd, call, offset, len, value). call: 0 read, 1 write, 2 pread, 3 pwrite, 4 lseek(SEEK_SET),
// 5 fsync. Writes send `len` bytes of `value`. read/write answer [count | -errno, first byte
// moved or -1]; lseek a BigInt offset on success; fsync 0 or -errno.
Napi::Value FileIo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args args(info, 5);
  int fd = args.Int(0);
  int call = args.IntIn(1, 0, 5);
  int64_t offset = static_cast<int64_t>(args.Word(2));
  uint64_t len = args.Size(3, kMaxBuffer);
  uint8_t value = args.Byte(4);
  if (!args.ok()) return args.Fail();
  if (call >= 4) {
    long r = gm_file_io(fd, call, offset, nullptr, 0);
    return call == 4 && r >= 0 ? big(env, static_cast<uint64_t>(r)) : Num(env, r);
  }
  size_t mapped = 0;
  uint8_t* buf = gm_buf_take(len, call == 1 || call == 3 ? value : 0, &mapped);
  if (buf == nullptr) return fail(env, "fileIo: no memory for the I/O buffer");
  long n = gm_file_io(fd, call, offset, buf, len);
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, Num(env, n));
  a.Set(1u, Napi::Number::New(env, n > 0 ? buf[0] : -1));
  gm_buf_give(buf, mapped);
  return a;
}

}  // namespace

void InitFile(Napi::Env env, Napi::Object e) {
  e.Set("memfdCreate", Napi::Function::New(env, MemfdCreate));
  e.Set("fstat", Napi::Function::New(env, Fstat));
  e.Set("fdFlags", Napi::Function::New(env, FdFlags));
  e.Set("fileIo", Napi::Function::New(env, FileIo));
}

}  // namespace gm
