#!/usr/bin/env bash
# Test suites under AddressSanitizer: the addon built with -fsanitize=address (in .cache/asan, next to the
# normal build), Node started with the ASan runtime preloaded, and so every child process too (guests under
# the host CLI, peers). usrsctp is Debian's library, whose own memory errors ASan sees only when they reach
# malloc/free; with USRSCTP_SRC=<a usrsctp source tree of the installed version> it is built instrumented as
# well and used instead.
#   bash scripts/asan.sh '<regex on dist/test file names>'
#   FUZZ_API_RUNS=5000 FUZZ_SEED=7 bash scripts/asan.sh fuzz-api
# Each report goes to .cache/asan/logs/; the run fails when there is one.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null || exit 1
dir=$PWD/.cache/asan
runtime=$(realpath "$(gcc -print-file-name=libasan.so)")
[ -f "$runtime" ] || { echo "asan: no ASan runtime (gcc's libasan)" >&2; exit 1; }
mkdir -p "$dir/addon"

lib=()
if [ -n "${USRSCTP_SRC:-}" ]; then
  if [ ! -f "$dir/usrsctp/usrsctplib/libusrsctp.so" ]; then
    cmake -S "$USRSCTP_SRC" -B "$dir/usrsctp" -DCMAKE_BUILD_TYPE=RelWithDebInfo -Dsctp_build_shared_lib=1 \
      -Dsctp_build_programs=0 -Dsctp_werror=0 -DCMAKE_C_FLAGS='-fsanitize=address -fno-omit-frame-pointer' \
      -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=address >/dev/null || exit 1
    cmake --build "$dir/usrsctp" -j2 >/dev/null || exit 1
  fi
  lib=("-L$dir/usrsctp/usrsctplib" "-Wl,-rpath,$dir/usrsctp/usrsctplib")
fi

# The project's binding.gyp with the sanitizer's flags, building the same sources.
ln -sfn "$PWD/src" "$dir/addon/src"
ln -sfn "$PWD/node_modules" "$dir/addon/node_modules"
node -e '
  const [from, to, ...lib] = process.argv.slice(1);
  const gyp = JSON.parse(require("fs").readFileSync(from, "utf8"));
  const t = gyp.targets[0];
  const asan = ["-fsanitize=address", "-fno-omit-frame-pointer", "-g"];
  t.cflags_cc = [...t.cflags_cc.filter((f) => f !== "-O2"), "-O1", ...asan];
  t.ldflags = ["-fsanitize=address", ...lib];
  require("fs").writeFileSync(to, JSON.stringify(gyp, null, 1));
' binding.gyp "$dir/addon/binding.gyp" "${lib[@]}"
(cd "$dir/addon" && npx node-gyp configure --nodedir=/usr --loglevel=error &&
  npx node-gyp build --nodedir=/usr --loglevel=error) >/dev/null || exit 1

rm -rf "$dir/logs" && mkdir -p "$dir/logs"
LD_PRELOAD=$runtime ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:log_path=$dir/logs/report \
  WASM_SCTP_NATIVE=$dir/addon/build/Release/sctp_native.node \
  npx uvu dist/test "^(?=.*(${1:-}))[^ ]*\\.test\\.js$"
status=$?
reports=$(find "$dir/logs" -type f | sort)
if [ -n "$reports" ]; then
  cat $reports
  echo "asan: $(echo "$reports" | wc -l) report(s) in $dir/logs" >&2
  exit 1
fi
exit "$status"
