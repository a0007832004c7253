{
  "targets": [
    {
      "target_name": "gmemcheck_native",
      "sources": [
        "adapters/native/src/addon.cc",
        "adapters/native/src/guard.cc",
        "adapters/native/src/access.cc",
        "adapters/native/src/kvm.cc",
        "adapters/native/src/file.cc",
        "adapters/native/src/fdio.cc",
        "adapters/native/src/observe.cc",
        "adapters/native/src/numa.cc",
        "adapters/native/src/procobs.cc",
        "adapters/native/src/kstats.cc",
        "adapters/native/src/mm.cc",
        "adapters/native/src/mempolicy.cc",
        "adapters/native/src/uffd.cc",
        "adapters/native/src/par.cc",
        "adapters/native/src/gm_sys.c",
        "adapters/native/src/gm_par.c",
        "adapters/native/src/guest.cc",
        "adapters/native/src/closer.cc",
        "adapters/native/src/shared.cc",
        "adapters/native/src/exports.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "_GNU_SOURCE"],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra", "-Wno-missing-field-initializers"],
      "cflags_c": ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror"],
      "cflags!": ["-fno-exceptions"],
      "conditions": [["OS!='linux'", { "type": "none" }]]
    }
  ]
}
