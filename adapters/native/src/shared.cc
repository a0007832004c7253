// A file mapped shared into this process as an ArrayBuffer: the flight recorder of `gmemcheck
// vm`'s guest half writes the op in flight into QEMU's ivshmem device memory
// (/sys/bus/pci/devices/<dev>/resource2), which is a host file, so the sequence survives a guest
// kernel crash and costs no syscall per op. Mapped once at start-up, never unmapped.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "napi_util.h"

namespace gm {
namespace {

constexpr size_t kMaxShared = 64u << 20;

// (path, size) -> ArrayBuffer over the mapping, or -errno. Only PCI BAR resource files.
Napi::Value MapShared(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsString() || !info[1].IsNumber()) return fail(env, "mapShared(path, size): a string and a number expected");
  std::string path = info[0].As<Napi::String>().Utf8Value();
  double size = info[1].As<Napi::Number>().DoubleValue();
  if (path.rfind("/sys/bus/pci/devices/", 0) != 0 || path.find("/resource") == std::string::npos || path.find("..") != std::string::npos) {
    return fail(env, "mapShared: only /sys/bus/pci/devices/*/resourceN");
  }
  if (!(size > 0) || size > kMaxShared || size != static_cast<double>(static_cast<size_t>(size))) return fail(env, "mapShared: size out of range");
  int fd = open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return Napi::Number::New(env, -errno);
  struct stat st;
  if (fstat(fd, &st) < 0 || static_cast<double>(st.st_size) < size) {
    int e = errno ? errno : EINVAL;
    close(fd);
    return Napi::Number::New(env, -e);
  }
  void* p = mmap(nullptr, static_cast<size_t>(size), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int e = errno;
  close(fd);
  if (p == MAP_FAILED) return Napi::Number::New(env, -e);
  return Napi::ArrayBuffer::New(env, p, static_cast<size_t>(size));
}

}  // namespace

void InitShared(Napi::Env env, Napi::Object e) { e.Set("mapShared", Napi::Function::New(env, MapShared)); }

}  // namespace gm
