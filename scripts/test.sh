#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds everything once with ASan+UBSan and runs
# every test there (sanitizers check strictly more than a plain build does, and one build keeps CI
# short), runs the static checks (clang-tidy, cppcheck) over that build's translation units, then
# fuzzes every libFuzzer target for FUZZ_SECONDS (default 30) each. Exits non-zero when anything
# fails. The optimised build (preset default) is the benchmarks' and the demo's.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --test-deps
jobs=$(nproc)

echo "== build (ASan+UBSan)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
echo "== tests under ASan+UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --preset asan -j "$jobs"

echo "== static checks"
STATIC_CHECKS_BUILD=build-asan bash scripts/static_checks.sh

echo "== fuzzing"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-30}"
