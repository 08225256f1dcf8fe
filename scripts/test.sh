#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds and runs every test, runs the static
# checks (clang-tidy, cppcheck), builds the tests again with ASan+UBSan and runs them there
# too, then fuzzes every libFuzzer target for FUZZ_SECONDS (default 60) each. Exits non-zero
# when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --test-deps
jobs=$(nproc)

echo "== build (RelWithDebInfo)"
cmake --preset default >/dev/null
cmake --build --preset default -j "$jobs"
echo "== tests"
ctest --preset default -j "$jobs"

echo "== static checks"
bash scripts/static_checks.sh

echo "== build (ASan+UBSan)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
echo "== tests under ASan+UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --preset asan -j "$jobs"

echo "== fuzzing"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
