#!/usr/bin/env bash
# README's one command: install what is missing, build, then run the main job —
# list the plugins the host loads from the build's plugin directory.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo
./build/switchyard plugins --plugin-dir build/plugins
