#!/usr/bin/env bash
# npm test: setup, then every uvu suite in dist/test; ends with the plain "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests || exit 1
log=$(mktemp)
# Only the suites (*.test.js), and of those the ones whose path matches the regex given, if any:
# dist/test also holds the harness and the test guests' shared files.
npx uvu dist/test "^(?=.*(${1:-}))[^ ]*\\.test\\.js$" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
plain=$(sed 's/\x1b\[[0-9;]*m//g' "$log")
total=$(echo "$plain" | awk '/^  Total:/ {print $2}' | tail -1)
passed=$(echo "$plain" | awk '/^  Passed:/ {print $2}' | tail -1)
rm -f "$log"
if [ -n "$total" ] && [ -n "$passed" ]; then
  echo "$passed passed, $((total - passed)) failed"
else
  echo "0 passed, 1 failed"  # uvu did not finish: a crash or a file that failed to load
  [ "$status" = 0 ] && status=1
fi
exit "$status"
