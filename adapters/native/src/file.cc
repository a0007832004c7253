// File-descriptor ops: memfd_create, close, dup, fstat, fcntl flags, read/write/pread/pwrite/
// lseek/fsync, ftruncate, fallocate, fstatfs. All raw: result or -errno.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "buf.h"
#include "napi_util.h"

namespace gm {
namespace {

// (size) -> fd: the shmem control backing (memfd_create + ftruncate). An ftruncate failure
// closes the fd again and reports ftruncate's errno.
Napi::Value MemfdCreate(const Napi::CallbackInfo& info) {
  Args a(info, 1);
  off_t size = static_cast<off_t>(a.Word(0));
  if (!a.ok()) return a.Fail();
  int fd = memfd_create("gmemcheck", MFD_CLOEXEC);
  if (fd < 0) return rcOrErrno(info.Env(), -1);
  if (ftruncate(fd, size) < 0) {
    int e = errno;
    close(fd);
    return Napi::Number::New(info.Env(), -e);
  }
  return Napi::Number::New(info.Env(), fd);
}

// (fd): the one-int-argument calls.
template <int (*Call)(int)>
Napi::Value OnFd(const Napi::CallbackInfo& info) {
  Args a(info, 1);
  int fd = a.Int(0);
  if (!a.ok()) return a.Fail();
  return rcOrErrno(info.Env(), Call(fd));
}

// (fd) -> [rc, size, blksize, mode, dev, ino]
Napi::Value Fstat(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args args(info, 1);
  int fd = args.Int(0);
  if (!args.ok()) return args.Fail();
  struct stat st {};
  int rc = fstat(fd, &st);
  Napi::Array a = Napi::Array::New(env, 6);
  a.Set(0u, rcOrErrno(env, rc));
  a.Set(1u, big(env, static_cast<uint64_t>(st.st_size)));
  a.Set(2u, Napi::Number::New(env, static_cast<double>(st.st_blksize)));
  a.Set(3u, Napi::Number::New(env, st.st_mode));
  a.Set(4u, big(env, st.st_dev));
  a.Set(5u, big(env, st.st_ino));
  return a;
}

// (fd) -> [rc, F_GETFL flags, F_GETFD flags]
Napi::Value FdFlags(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args args(info, 1);
  int fd = args.Int(0);
  if (!args.ok()) return args.Fail();
  int fl = fcntl(fd, F_GETFL);
  int rc = fl < 0 ? -errno : 0;
  int fdf = fl < 0 ? 0 : fcntl(fd, F_GETFD);
  Napi::Array a = Napi::Array::New(env, 3);
  a.Set(0u, Napi::Number::New(env, rc));
  a.Set(1u, Napi::Number::New(env, fl < 0 ? 0 : (fl & O_ACCMODE)));
  a.Set(2u, Napi::Number::New(env, (fdf & FD_CLOEXEC) ? 1 : 0));
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
  off_t off = static_cast<off_t>(args.Word(2));
  size_t len = static_cast<size_t>(args.Size(3, kMaxBuffer));
  uint8_t value = args.Byte(4);
  if (!args.ok()) return args.Fail();
  bool io = call <= 3;
  Buf buf(io ? len : 0, call == 1 || call == 3 ? value : 0);
  if (io && !buf.ok()) return fail(env, "fileIo: no memory for the I/O buffer");
  ssize_t n = 0;
  switch (call) {
    case 0: n = read(fd, buf.data(), len); break;
    case 1: n = write(fd, buf.data(), len); break;
    case 2: n = pread(fd, buf.data(), len, off); break;
    case 3: n = pwrite(fd, buf.data(), len, off); break;
    case 4: {
      off_t r = lseek(fd, off, SEEK_SET);
      return r < 0 ? rcOrErrno(env, -1) : big(env, static_cast<uint64_t>(r));
    }
    default: return rcOrErrno(env, fsync(fd));
  }
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, rcOrErrno(env, n));
  a.Set(1u, Napi::Number::New(env, n > 0 ? buf.data()[0] : -1));
  return a;
}

Napi::Value Ftruncate(const Napi::CallbackInfo& info) {
  Args a(info, 2);
  int fd = a.Int(0);
  off_t size = static_cast<off_t>(a.Word(1));
  if (!a.ok()) return a.Fail();
  return rcOrErrno(info.Env(), ftruncate(fd, size));
}

// (fd, mode, offset, len): offset/len are loff_t, so values >= 2^63 arrive negative, as in C.
Napi::Value Fallocate(const Napi::CallbackInfo& info) {
  Args a(info, 4);
  int fd = a.Int(0);
  int mode = a.Int(1);
  off_t offset = static_cast<off_t>(a.Word(2)), len = static_cast<off_t>(a.Word(3));
  if (!a.ok()) return a.Fail();
  return rcOrErrno(info.Env(), fallocate(fd, mode, offset, len));
}

// (fd) -> f_type (probe: anon_inode 0x09041934 on 6.18 vs a guest_memfd pseudo-fs later; KR §1.7)
Napi::Value Fstatfs(const Napi::CallbackInfo& info) {
  Args a(info, 1);
  int fd = a.Int(0);
  if (!a.ok()) return a.Fail();
  struct statfs s {};
  if (fstatfs(fd, &s) < 0) return rcOrErrno(info.Env(), -1);
  return Napi::Number::New(info.Env(), static_cast<double>(static_cast<uint32_t>(s.f_type)));
}

}  // namespace

void InitFile(Napi::Env env, Napi::Object e) {
  e.Set("memfdCreate", Napi::Function::New(env, MemfdCreate));
  e.Set("close", Napi::Function::New(env, OnFd<close>));
  e.Set("dup", Napi::Function::New(env, OnFd<dup>));
  e.Set("fstat", Napi::Function::New(env, Fstat));
  e.Set("fdFlags", Napi::Function::New(env, FdFlags));
  e.Set("fileIo", Napi::Function::New(env, FileIo));
  e.Set("ftruncate", Napi::Function::New(env, Ftruncate));
  e.Set("fallocate", Napi::Function::New(env, Fallocate));
  e.Set("fstatfs", Napi::Function::New(env, Fstatfs));
}

}  // namespace gm
