#!/usr/bin/env bash
# Installs Switchyard's build and test dependencies from Debian's packages (idempotent: apt runs
# only when something is missing), then builds. Works as root with no prompts, or via sudo.
#   scripts/setup.sh            install what is missing, then build into build/
#   scripts/setup.sh --deps     install what is missing, do not build
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build pkg-config python3
  libboost-dev libboost-filesystem-dev      # Boost.DLL (header-only, needs Boost.Filesystem)
  libyaml-cpp-dev nlohmann-json3-dev libsimdjson-dev
  libcurl4-openssl-dev libssl-dev zlib1g-dev
  libsqlite3-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev clang-tidy cppcheck   # fuzzers (libFuzzer) and static checks
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm run the RudderStack SDK end-to-end test (tests/e2e/sdk); any node on PATH will do.
command -v node >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[[ "${1:-}" == "--deps" ]] && exit 0
cmake --preset default >/dev/null
cmake --build --preset default
