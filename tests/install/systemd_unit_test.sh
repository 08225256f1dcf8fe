#!/usr/bin/env bash
# The installed unit passes `systemd-analyze verify` (syntax, directives, the ExecStart binary).
set -euo pipefail
if ! command -v systemd-analyze >/dev/null; then
    echo "SKIPPED: systemd-analyze is not installed (Debian package systemd), the unit is not verified"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() { echo "FAIL: $*" >&2; exit 1; }

"$CMAKE" --install "$BUILD_DIR" --prefix "$prefix" >/dev/null
unit=$prefix/lib/systemd/system/switchyard.service
# verify also reports problems of other units (of the machine's) on stderr: keep only ours.
if ! systemd-analyze verify "$unit" 2>"$tmp/verify.log"; then
    fail "systemd-analyze verify refused the unit: $(cat "$tmp/verify.log")"
fi
if grep switchyard.service "$tmp/verify.log"; then
    fail "systemd-analyze verify warned about the unit"
fi
echo "systemd-analyze verify accepts the unit"
