#!/usr/bin/env bash
# `cpack -G DEB` makes a package with the runtime libraries as dependencies, the host, plugins,
# plugin SDK and unit under /usr, and a host that runs from the extracted files.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$CPACK" --config "$BUILD_DIR/CPackConfig.cmake" -G DEB -B "$tmp" >"$tmp/cpack.log" 2>&1 ||
    fail "cpack failed: $(cat "$tmp/cpack.log")"
deb=$tmp/switchyard_${VERSION}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || fail "cpack made no $deb: $(ls "$tmp")"

info=$(dpkg-deb -I "$deb")
for field in "Package: switchyard" "Version: $VERSION" "Section: net" "Maintainer: "; do
    grep -q "^ $field" <<<"$info" || fail "the control file has no \"$field\": $info"
done
depends=$(grep '^ Depends:' <<<"$info") || fail "the control file has no Depends line: $info"
for library in adduser libcurl libyaml-cpp libsqlite3 libssl libstdc++6; do
    grep -q "[ ,]$library" <<<"$depends" || fail "Depends does not name $library: $depends"
done
for script in postinst prerm postrm; do
    grep -q " $script " <<<"$info" || fail "the package has no $script: $info"
done
grep -q '^ Suggests: .*libsimdjson-dev' <<<"$info" || fail "Suggests does not name the SDK's build dependencies: $info"

contents=$(dpkg-deb -c "$deb")
for path in usr/bin/switchyard usr/lib/switchyard/switchyard-worker usr/lib/switchyard/switchyard-transformer usr/lib/switchyard/plugins/iterable.so usr/include/switchyard/plugin.h \
    usr/include/switchyard/plugin.hpp usr/include/switchyard/sdk/http_client.h usr/lib/libswitchyard_plugin_sdk.a \
    usr/lib/cmake/SwitchyardPlugin/SwitchyardPluginConfig.cmake usr/lib/pkgconfig/switchyard-plugin.pc \
    usr/lib/systemd/system/switchyard.service usr/share/doc/switchyard/README.md; do
    grep -q " \./$path$" <<<"$contents" || fail "the package does not hold $path: $contents"
done
if grep -qE 'mock-iterable|_test$|test-plugins|fixtures' <<<"$contents"; then
    fail "the package holds test files: $contents"
fi

dpkg-deb -x "$deb" "$tmp/root"
# cpack strips the binaries (CPACK_STRIP_FILES), never the SDK archive, whose symbols plugins link.
grep -q ' T ' <<<"$(nm "$tmp/root/usr/lib/libswitchyard_plugin_sdk.a" 2>&1)" ||
    fail "the packaged libswitchyard_plugin_sdk.a defines no symbols (stripped?)"
"$tmp/root/usr/bin/switchyard" version | grep -qF "$VERSION" || fail "the packaged switchyard does not run"
"$tmp/root/usr/bin/switchyard" plugins | grep -q "^iterable " || fail "the packaged switchyard loads no iterable plugin"
grep -q '^ExecStart=/usr/bin/switchyard serve .*--plugin-dir /usr/lib/switchyard/plugins ' \
    "$tmp/root/usr/lib/systemd/system/switchyard.service" || fail "the packaged unit does not start /usr/bin/switchyard"
echo "package $(basename "$deb") as expected; $depends"
