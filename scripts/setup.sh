#!/usr/bin/env bash
# Installs and builds what `npm test`, `npm run demo` and `npm run bench` need, on a fresh Debian
# machine with Node 20: each step runs only when its result is missing or out of date.
#   bash scripts/setup.sh [--tests] [--bench]   (what the test suite and the benchmark need besides)
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "setup: $*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else
    echo "setup: need root to run: $*" >&2; exit 1; fi
}

apt_install() { # apt_install <package...>
  say "installing $* with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq "$@" >/dev/null
}

major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || { echo "setup: Node >= 20 needed, found $(node --version)" >&2; exit 1; }

# The SCTP stack: Debian's usrsctp (FreeBSD's stack in userland); a C++ compiler for the addon.
missing=()
[ -f /usr/include/usrsctp.h ] || missing+=(libusrsctp-dev)
command -v g++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
# C guests: clang and wasm-ld for wasm32-wasi, wasi-libc, compiler-rt's wasm32 builtins.
command -v clang >/dev/null || missing+=(clang)
command -v wasm-ld >/dev/null || missing+=(lld)
[ -f /usr/lib/wasm32-wasi/libc.a ] || missing+=(wasi-libc)
compgen -G '/usr/lib/llvm-*/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a' >/dev/null || missing+=(libclang-rt-dev-wasm32)
[ -f /usr/include/node/node_api.h ] || { echo "setup: Node's headers (/usr/include/node, from the nodejs package) are missing" >&2; exit 1; }
for extra in "$@"; do
  case "$extra" in
    # usrsctp's tsctp, a reference sender of the benchmark.
    --bench) [ -x /usr/lib/usrsctp/tsctp ] || missing+=(libusrsctp-examples) ;;
    # The Linux kernel peer of test/kernel-interop.test.ts: a user-mode Linux with busybox, ethtool
    # and python3 inside. That test needs root, so without root there is nothing to install for it.
    --tests)
      if [ "$(id -u)" = 0 ]; then
        [ -x /usr/bin/linux.uml ] || missing+=(user-mode-linux)
        [ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || missing+=(busybox-static)
        [ -x /usr/sbin/ethtool ] || [ -x /sbin/ethtool ] || missing+=(ethtool)
        [ -x /usr/bin/python3 ] || missing+=(python3)
      fi ;;
  esac
done
[ "${#missing[@]}" = 0 ] || apt_install "${missing[@]}"

# npm dependencies, when package-lock.json changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# WIT dependencies and the TypeScript types generated from wit/.
newest_wit=$(find wit -name '*.wit' -not -path 'wit/deps/*' -newer types/generated/command.d.ts 2>/dev/null | head -1 || true)
if [ ! -d wit/deps/wasi-io ] || [ ! -f types/generated/command.d.ts ] || [ ! -f guest/types/command.d.ts ] || [ -n "$newest_wit" ]; then
  node scripts/wit-deps.mjs
  node scripts/wit-types.mjs
fi

# TypeScript (tsc 7 is fast enough to run every time; it type-checks host/ against wit/): the Node
# side, then the guests (examples, test guests, benchmark guests) against the guest-side types.
npx tsc -p .
npx tsc -p guest
for guests in guest-examples test/guests bench/guests; do npx tsc -p "$guests"; done

# The native addon, when a source is newer than the built module.
addon=build/Release/sctp_native.node
if [ ! -f "$addon" ] || [ -n "$(find src/native binding.gyp -newer "$addon" | head -1)" ]; then
  say "building the native addon"
  # `build` (not `rebuild`) keeps build/ in place, so processes that are loading the addon
  # meanwhile do not find it missing; configure only when there is nothing to build into.
  [ -f build/Makefile ] || npx node-gyp configure --nodedir=/usr --loglevel=error >/dev/null
  npx node-gyp build --nodedir=/usr --loglevel=error >/dev/null
fi

# Guest components: componentized once per content hash (13-18 s each).
node dist/scripts/guests.js >/dev/null
# C guests: the glue from wit/ (tools/wit-c), clang, jco embed + new; cached by content hash (about 1 s each).
node dist/scripts/c-guests.js >/dev/null
