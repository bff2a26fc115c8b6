#!/usr/bin/env bash
# npm run reliability: the reliability and security suites with their full counts (npm test runs
# the same suites with smaller ones). Ends with the plain "N passed, N failed" line.
#   10,000 guest API call sequences from Node and 2,000 from a guest component, 1,000,000 fuzzed
#   datagrams, 5,000 associations on one socket, 10,000 create/connect/close cycles.
set -uo pipefail
cd "$(dirname "$0")/.."
export FUZZ_API_RUNS=${FUZZ_API_RUNS:-10000}
export FUZZ_GUEST_SEQUENCES=${FUZZ_GUEST_SEQUENCES:-2000}
export PACKET_FUZZ_DATAGRAMS=${PACKET_FUZZ_DATAGRAMS:-1000000}
export LOAD_ASSOCIATIONS=${LOAD_ASSOCIATIONS:-5000}
export LEAK_CYCLES=${LEAK_CYCLES:-10000}
# A full GC before each RSS sample of the leak test.
export NODE_OPTIONS="${NODE_OPTIONS:-} --expose-gc"
exec bash scripts/test.sh '(policy|fuzz-api|fuzz-packets|load|leaks|close|peer-death)\.test\.js$'
