#!/usr/bin/env bash
# An installed host runs, and finds the installed plugins without --plugin-dir.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() { echo "FAIL: $*" >&2; exit 1; }

"$CMAKE" --install "$BUILD_DIR" --prefix "$prefix" >/dev/null

version=$("$prefix/bin/switchyard" version) || fail "switchyard version exited $?"
grep -qF "$VERSION" <<<"$version" || fail "switchyard version does not name $VERSION: $version"

listing=$("$prefix/bin/switchyard" plugins) || fail "switchyard plugins exited $?: $listing"
grep -qE "^iterable +.*$prefix/lib/switchyard/plugins/iterable\.so$" <<<"$listing" ||
    fail "switchyard plugins does not list the installed iterable plugin: $listing"
echo "installed host runs and lists its plugins"
