#!/usr/bin/env bash
# `cmake --install` lays out exactly the host, the plugins built into the plugin directory (not the
# template), the plugin SDK (headers, static library, CMake package, pkg-config module), the
# documentation and the unit: no test plugin, mock or test executable.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() { echo "FAIL: $*" >&2; exit 1; }

"$CMAKE" --install "$BUILD_DIR" --prefix "$prefix" >/dev/null

# Every plugin of the plugin directory but the template, a starting point for authors (NO_INSTALL).
plugins=$(cd "$BUILD_DIR/plugins" && ls -- *.so | grep -vx template.so)
[ -n "$plugins" ] || fail "no plugin is built in $BUILD_DIR/plugins"
{
    printf '%s\n' bin/switchyard lib/switchyard/switchyard-worker lib/switchyard/switchyard-transformer lib/systemd/system/switchyard.service \
        share/doc/switchyard/README.md share/doc/switchyard/examples/acme.yaml \
        lib/libswitchyard_plugin_sdk.a lib/pkgconfig/switchyard-plugin.pc
    printf 'lib/switchyard/plugins/%s\n' $plugins
    printf 'lib/cmake/SwitchyardPlugin/%s\n' SwitchyardPluginConfig.cmake SwitchyardPluginConfigVersion.cmake \
        SwitchyardPluginTargets.cmake "SwitchyardPluginTargets-${BUILD_TYPE,,}.cmake" \
        SwitchyardPlugin.cmake SwitchyardWarnings.cmake
    (cd "$SOURCE_DIR/plugin_api" && find . -type f | sed 's|^\./|include/|')
    (cd "$SOURCE_DIR/plugin_sdk/include" && find . -type f | sed 's|^\./|include/|')
    (cd "$SOURCE_DIR/docs" && find . -type f | sed 's|^\./|share/doc/switchyard/|')
} | sort >"$tmp/expected"
(cd "$prefix" && find . -type f -o -type l) | sed 's|^\./||' | sort >"$tmp/installed"
diff -u "$tmp/expected" "$tmp/installed" || fail "installed files differ from the expected layout (+ extra, - missing)"

# The very builds of the plugin directory (test builds of the same name live elsewhere).
for plugin in $plugins; do
    cmp -s "$BUILD_DIR/plugins/$plugin" "$prefix/lib/switchyard/plugins/$plugin" ||
        fail "lib/switchyard/plugins/$plugin is not the build of $BUILD_DIR/plugins"
done

# Plugins outside the tree get the tree's own switchyard_add_plugin, not a copy that could drift.
cmp -s "$SOURCE_DIR/cmake/SwitchyardPlugin.cmake" "$prefix/lib/cmake/SwitchyardPlugin/SwitchyardPlugin.cmake" ||
    fail "lib/cmake/SwitchyardPlugin/SwitchyardPlugin.cmake is not cmake/SwitchyardPlugin.cmake"

unit=$prefix/lib/systemd/system/switchyard.service
grep -qx "ExecStart=$prefix/bin/switchyard serve .*--plugin-dir $prefix/lib/switchyard/plugins .*" "$unit" ||
    fail "the unit does not start $prefix/bin/switchyard with its plugins: $(grep ExecStart= "$unit")"
echo "installed layout as expected: $(wc -l <"$tmp/installed") files"
