#!/usr/bin/env bash
# Installs Switchyard's dependencies from Debian's packages (idempotent: apt runs only when
# something is missing), then builds the host, its plugins and the mock Iterable. Works as root
# with no prompts, or via sudo.
#   scripts/setup.sh               what building and running need; then build (preset "run")
#   scripts/setup.sh --deps        what building and running need; no build
#   scripts/setup.sh --test-deps   that and the test tools (scripts/test.sh); no build
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-build}
case "$mode" in
  build | --deps | --test-deps) ;;
  *) echo "setup: unknown argument \"$mode\" (expected nothing, --deps or --test-deps)" >&2; exit 2 ;;
esac

PACKAGES=(
  build-essential cmake ninja-build pkg-config python3 curl
  libboost-dev libboost-filesystem-dev      # Boost.DLL (header-only, needs Boost.Filesystem)
  libyaml-cpp-dev nlohmann-json3-dev libsimdjson-dev
  libvalijson-dev                           # plugins' settings schemas (header-only JSON Schema validator)
  libcurl4-openssl-dev libssl-dev zlib1g-dev
  libsqlite3-dev libcpp-httplib-dev
  libpq-dev                                 # the PostgreSQL store (serve --store postgresql://...)
)
TEST_PACKAGES=(
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev clang-tidy cppcheck   # fuzzers (libFuzzer) and static checks
  postgresql                                    # a real server for the PostgreSQL store's tests (started by them)
  procps                                        # pgrep: the demo test checks nothing is left running
  chromium                                      # headless, loads the browser SDKs' pages (tests/e2e/browser_test.cpp)
)
[[ "$mode" != --test-deps ]] || PACKAGES+=("${TEST_PACKAGES[@]}")

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm run the RudderStack SDK end-to-end test (tests/e2e/sdk); any node on PATH will do.
[[ "$mode" != --test-deps ]] || command -v node >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[[ "$mode" == build ]] || exit 0
cmake --preset run >/dev/null
cmake --build --preset run
