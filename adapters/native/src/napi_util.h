// Argument checks and result helpers shared by every op file. Convention of every raw binding: a
// non-negative result, or -errno as a negative Number. 64-bit quantities travel as BigInt (or a
// safe-integer Number) so that values near 2^63 and unaligned sizes reach the kernel bit-exact.
//
// The addon is the last line of the boundary (issue 12). It is built without C++ exceptions, so a
// failed Napi conversion only leaves a pending JS exception and returns 0: before this file, the
// call then went out with that 0 (an fd leaked per mistyped call; a BigInt >= 2^64 was truncated
// to its low 64 bits; a double was cast to int64 with no range check). Now every binding reads its
// arguments through an Args, and issues nothing unless all of them passed:
//
//   Args a(info, 3);
//   int fd = a.Int(0); uint64_t len = a.Word(1); ...
//   if (!a.ok()) return a.Fail();
//   ... syscall ...
//
// A failure throws TypeError (wrong JS type, wrong argument count) or RangeError (a value the C
// type cannot carry), naming the argument; the TS layer turns both into BadOpError.
#pragma once
#include <napi.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace gm {

class Args {
 public:
  // `count`: the exact number of arguments the binding takes (more or fewer is a TypeError).
  Args(const Napi::CallbackInfo& info, size_t count) : info_(info) {
    if (info.Length() != count) {
      std::snprintf(why_, sizeof why_, "expected %zu arguments, got %zu", count, info.Length());
      range_ = false;
      bad_ = true;
    }
  }

  bool ok() const { return !bad_; }

  // Throws the first failure as a JS exception; the binding returns this value at once.
  Napi::Value Fail() const {
    Napi::Env env = info_.Env();
    if (range_) Napi::RangeError::New(env, why_).ThrowAsJavaScriptException();
    else Napi::TypeError::New(env, why_).ThrowAsJavaScriptException();
    return env.Undefined();
  }

  // A 64-bit word, read as the kernel will receive it: a BigInt in [-2^63, 2^64) or a Number
  // that is a safe integer (|x| <= 2^53), mapped to its two's-complement bit pattern. Anything the
  // 64 bits cannot carry (±2^64, 2^127, NaN, 1.5, 1e300) is refused, never truncated.
  uint64_t Word(size_t i) {
    Napi::Value v = info_[i];
    if (v.IsBigInt()) {
      bool lossless = false;
      Napi::BigInt b = v.As<Napi::BigInt>();
      int64_t s = b.Int64Value(&lossless);
      if (lossless) return static_cast<uint64_t>(s);
      uint64_t u = b.Uint64Value(&lossless);
      if (lossless) return u;
      return Bad(i, true, "a BigInt outside [-2^63, 2^64)");
    }
    if (v.IsNumber()) {
      double d = v.As<Napi::Number>().DoubleValue();
      if (SafeInteger(d)) return static_cast<uint64_t>(static_cast<int64_t>(d));
      return Bad(i, true, "a Number that is not a safe integer");
    }
    return Bad(i, false, "not a BigInt or Number");
  }

  // A C int / u32 argument: a Number that is an integer in [-2^31, 2^32), passed as its 32-bit
  // pattern (C's conversion: 0xffffffff and -1 are the same int).
  int32_t Int(size_t i) {
    Napi::Value v = info_[i];
    if (!v.IsNumber()) return static_cast<int32_t>(Bad(i, false, "not a Number"));
    double d = v.As<Napi::Number>().DoubleValue();
    if (!SafeInteger(d) || d < -2147483648.0 || d >= 4294967296.0) {
      return static_cast<int32_t>(Bad(i, true, "not an integer in [-2^31, 2^32)"));
    }
    return static_cast<int32_t>(static_cast<uint32_t>(static_cast<int64_t>(d)));
  }

  // A count or size the addon allocates for: a safe integer or BigInt in [0, max] (max < 2^63,
  // so a negative value, whose 64-bit pattern is >= 2^63, is refused by the same comparison).
  uint64_t Size(size_t i, uint64_t max) {
    uint64_t w = Word(i);
    if (bad_) return 0;
    if (w > max) {
      char msg[80];
      std::snprintf(msg, sizeof msg, "a size in [0, %llu] (the addon's buffer limit)", static_cast<unsigned long long>(max));
      return Bad(i, true, msg);
    }
    return w;
  }

  // A C int within [lo, hi] (timeouts, small enums).
  int32_t IntIn(size_t i, int32_t lo, int32_t hi) {
    int32_t x = Int(i);
    if (bad_) return 0;
    if (x < lo || x > hi) {
      char msg[80];
      std::snprintf(msg, sizeof msg, "not an integer in [%d, %d]", lo, hi);
      return static_cast<int32_t>(Bad(i, true, msg));
    }
    return x;
  }

  uint8_t Byte(size_t i) { return static_cast<uint8_t>(IntIn(i, 0, 255)); }

  bool Bool(size_t i) {
    Napi::Value v = info_[i];
    if (!v.IsBoolean()) return Bad(i, false, "not a boolean") != 0;
    return v.As<Napi::Boolean>().Value();
  }

  // An array of at most `max` 64-bit words; `out` receives them, the rest stays as it was.
  uint32_t Words(size_t i, uint64_t* out, uint32_t max) {
    Napi::Value v = info_[i];
    if (!v.IsArray()) return static_cast<uint32_t>(Bad(i, false, "not an Array"));
    Napi::Array a = v.As<Napi::Array>();
    uint32_t n = a.Length();
    if (n > max) {
      char msg[80];
      std::snprintf(msg, sizeof msg, "an array of %u words, more than the %u the ABI carries", n, max);
      return static_cast<uint32_t>(Bad(i, true, msg));
    }
    for (uint32_t k = 0; k < n; k++) {
      Napi::Value e = a.Get(k);
      bool lossless = false;
      if (!e.IsBigInt()) return static_cast<uint32_t>(Bad(i, false, "an array element that is not a BigInt"));
      Napi::BigInt b = e.As<Napi::BigInt>();
      int64_t s = b.Int64Value(&lossless);
      if (lossless) { out[k] = static_cast<uint64_t>(s); continue; }
      out[k] = b.Uint64Value(&lossless);
      if (!lossless) return static_cast<uint32_t>(Bad(i, true, "an array element outside [-2^63, 2^64)"));
    }
    return n;
  }

 private:
  static bool SafeInteger(double d) { return std::isfinite(d) && std::trunc(d) == d && std::fabs(d) <= 9007199254740992.0; }

  // Records the first failure only (later reads return 0 and change nothing).
  uint64_t Bad(size_t i, bool range, const char* what) {
    if (!bad_) {
      std::snprintf(why_, sizeof why_, "argument %zu: %s", i, what);
      range_ = range;
      bad_ = true;
    }
    return 0;
  }

  const Napi::CallbackInfo& info_;
  bool bad_ = false;
  bool range_ = false;
  char why_[128] = {0};
};

// Largest buffer a single op may make the addon allocate (I/O, GUP, COPY source): the generators
// never ask for more than a page or two, and the remote protocol caps buffers at 1 MiB.
constexpr uint64_t kMaxBuffer = uint64_t{64} << 20;
// Largest mincore vector (pages): each page also becomes one JS array element.
constexpr uint64_t kMaxMincorePages = uint64_t{1} << 16;

// rc < 0 means "look at errno" (libc convention); returns rc or -errno.
inline Napi::Value rcOrErrno(Napi::Env env, long rc) {
  return Napi::Number::New(env, rc < 0 ? -errno : static_cast<double>(rc));
}
inline Napi::Value big(Napi::Env env, uint64_t v) { return Napi::BigInt::New(env, v); }

// Harness failure (not a kernel outcome): becomes a JS exception, which the TS layer rethrows as
// TargetBrokenError.
inline Napi::Value fail(Napi::Env env, const char* what) {
  Napi::Error::New(env, what).ThrowAsJavaScriptException();
  return env.Undefined();
}

// Each op file registers its functions on the exports object.
void InitKvm(Napi::Env env, Napi::Object exports);
void InitFile(Napi::Env env, Napi::Object exports);
void InitMm(Napi::Env env, Napi::Object exports);
void InitMempolicy(Napi::Env env, Napi::Object exports);
void InitUffd(Napi::Env env, Napi::Object exports);
void InitAccess(Napi::Env env, Napi::Object exports);
void InitFdIo(Napi::Env env, Napi::Object exports);
void InitObserve(Napi::Env env, Napi::Object exports);
void InitProcobs(Napi::Env env, Napi::Object exports);
void InitKstats(Napi::Env env, Napi::Object exports);
void InitPar(Napi::Env env, Napi::Object exports);
// gm_sys.c's scalar wrappers (exports.cc, from the generated gm_exports.inc).
void InitExports(Napi::Env env, Napi::Object exports);

}  // namespace gm
