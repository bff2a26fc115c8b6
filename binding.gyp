{
  "targets": [
    {
      "target_name": "sctp_native",
      "sources": [
        "src/native/addon.cc",
        "src/native/closer.cc",
        "src/native/env_state.cc",
        "src/native/exit_signals.cc",
        "src/native/messages.cc",
        "src/native/notifications.cc",
        "src/native/options.cc",
        "src/native/socket_table.cc",
        "src/native/sockets.cc",
        "src/native/stack.cc",
        "src/native/util.cc",
        "src/native/readiness.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED", "INET", "INET6"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-lusrsctp"]
    }
  ]
}
