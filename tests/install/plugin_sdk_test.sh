#!/usr/bin/env bash
# The installed plugin SDK builds plugins outside the tree: plugins/_template, unchanged, through
# the CMake package SwitchyardPlugin, and a C plugin through `pkg-config switchyard-plugin`; the
# host accepts both, and the template passes `switchyard plugin-check`.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() { echo "FAIL: $*" >&2; exit 1; }

# A sanitizer build's SDK archive is instrumented: plugins built against it link the sanitizers too.
sanitize=()
[ "$SANITIZE" = 1 ] && sanitize=(-fsanitize=address,undefined)
"$CMAKE" --install "$BUILD_DIR" --prefix "$prefix" >/dev/null
entry=$(sed -n 's/^#define SY_ENTRY_SYMBOL "\(.*\)"$/\1/p' "$prefix/include/switchyard/plugin.h")
[ -n "$entry" ] || fail "the installed switchyard/plugin.h defines no SY_ENTRY_SYMBOL"

# What switchyard_add_plugin and plugin_cflags promise: the entry is the only global symbol defined
# (libstdc++ keeps the template instances of its headers visible, as weak symbols), and no symbol
# is STB_GNU_UNIQUE.
check_symbols() {
    local exported
    exported=$(readelf --dyn-syms -W "$1" | awk '$5 == "GLOBAL" && $7 != "UND" {print $8}' | sort -u)
    [ "$exported" = "$entry" ] || fail "$1 exports more or other than $entry: $exported"
    ! readelf --dyn-syms -W "$1" | grep -qw UNIQUE || fail "$1 has STB_GNU_UNIQUE symbols"
}

template=$tmp/template
"$CMAKE" -S "$SOURCE_DIR/plugins/_template" -B "$template" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_CXX_COMPILER="$CXX_COMPILER" -DSWITCHYARD_WARNINGS_AS_ERRORS=ON \
    -DCMAKE_CXX_FLAGS="${sanitize[*]}" -DCMAKE_MODULE_LINKER_FLAGS="${sanitize[*]}" \
    -DCMAKE_SHARED_LINKER_FLAGS="${sanitize[*]}" >"$tmp/template.log" 2>&1 ||
    fail "configuring plugins/_template against $prefix failed: $(cat "$tmp/template.log")"
"$CMAKE" --build "$template" >"$tmp/template.log" 2>&1 ||
    fail "building plugins/_template against $prefix failed: $(cat "$tmp/template.log")"
[ -f "$template/template.so" ] || fail "the out-of-tree build made no $template/template.so: $(ls "$template")"
check_symbols "$template/template.so"
"$BUILD_DIR/switchyard" plugin-check "$template/template.so" >"$tmp/check.log" 2>&1 ||
    fail "switchyard plugin-check refuses the out-of-tree template: $(cat "$tmp/check.log")"

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
pc() { pkg-config "$@" switchyard-plugin; }
mkdir "$tmp/pc"
# shellcheck disable=SC2046  # pkg-config's answers are lists of flags
"$C_COMPILER" -std=c99 -Wall -Wextra -Werror -fPIC "${sanitize[@]}" $(pc --variable=plugin_cflags) $(pc --cflags) \
    "$SOURCE_DIR/tests/install/fixtures/pc_plugin.c" -o "$tmp/pc/pc_plugin.so" \
    $(pc --variable=plugin_ldflags) $(pc --libs) 2>"$tmp/pc.log" ||
    fail "building a C plugin with pkg-config switchyard-plugin failed: $(cat "$tmp/pc.log")"
check_symbols "$tmp/pc/pc_plugin.so"
listing=$("$BUILD_DIR/switchyard" plugins --plugin-dir "$tmp/pc" 2>&1) ||
    fail "switchyard plugins refuses the pkg-config-built plugin: $listing"
grep -q "^pc_plugin " <<<"$listing" || fail "switchyard plugins does not list pc_plugin: $listing"
echo "the installed SDK builds the template (plugin-check passes) and a pkg-config C plugin"
