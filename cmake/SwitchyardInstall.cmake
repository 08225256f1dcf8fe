# What `cmake --install` lays out and `cpack` packages: the host, its plugins (their rule lives in
# switchyard_add_plugin), the plugin SDK (SwitchyardPluginPackage.cmake), the documentation and
# the systemd unit. Tests, the mock and the benchmarks have no install rule and never ship.
# Plugins and the unit go to literally lib/ (not a multiarch libdir): the host finds its plugins
# at ../lib/switchyard/plugins from its executable, and systemd reads lib/systemd/system.
set(SWITCHYARD_DOC_DIR share/doc/switchyard)

install(TARGETS switchyard RUNTIME DESTINATION bin)
# The plugin worker: only the host runs it, so it is not on PATH (host/isolation/worker_executable.h).
install(TARGETS switchyard-worker RUNTIME DESTINATION lib/switchyard)
# What `switchyard transformer` runs in its place (host/cli/cmd_transformer.cpp); beside the plugins.
install(TARGETS switchyard-transformer RUNTIME DESTINATION lib/switchyard)
include(SwitchyardPluginPackage)
install(FILES README.md DESTINATION ${SWITCHYARD_DOC_DIR})
install(DIRECTORY docs/ DESTINATION ${SWITCHYARD_DOC_DIR})
install(FILES config/acme.yaml DESTINATION ${SWITCHYARD_DOC_DIR}/examples)

# The unit names absolute paths of the prefix installed to, which `cmake --install --prefix` and
# cpack choose only at install time; so it is written then, in a scratch folder per prefix (two
# installs at once, e.g. the tests, must not share a file) that goes once it is installed.
install(CODE "
  get_filename_component(prefix \"\${CMAKE_INSTALL_PREFIX}\" ABSOLUTE)  # `--prefix P` may be relative
  set(SWITCHYARD_BIN \"\${prefix}/bin/switchyard\")
  set(SWITCHYARD_PLUGIN_DIR \"\${prefix}/lib/switchyard/plugins\")
  set(SWITCHYARD_DOC_DIR \"\${prefix}/${SWITCHYARD_DOC_DIR}\")
  string(MD5 prefix_key \"\${prefix}\")
  set(scratch \"${CMAKE_BINARY_DIR}/systemd-unit-\${prefix_key}\")
  configure_file(\"${PROJECT_SOURCE_DIR}/config/systemd/switchyard.service.in\" \"\${scratch}/switchyard.service\" @ONLY)
  file(INSTALL \"\${scratch}/switchyard.service\" DESTINATION \"\${CMAKE_INSTALL_PREFIX}/lib/systemd/system\")
  file(REMOVE_RECURSE \"\${scratch}\")
")

# `cpack` (in the build directory) makes the Debian package, installed under /usr.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "Switchyard maintainers <maintainers@switchyard.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "event-routing host with shared-object destination plugins")
set(CPACK_PACKAGE_DESCRIPTION
    "Switchyard receives customer events through the RudderStack/Segment ingestion API, keeps them in
an SQLite store and delivers them to each connected destination through that destination's plugin.
Ships the host, the Iterable plugin, the plugin SDK and a hardened systemd unit.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# dpkg-shlibdeps writes the Depends on the runtime libraries; adduser is for the maintainer scripts.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS adduser)
# The plugin SDK (headers, static library, CMake package, .pc; SwitchyardPluginPackage.cmake) stays
# in this one package rather than a switchyard-dev: it is small, the plugin headers always shipped
# here, and a plugin is built for the host it runs in. Building a plugin needs the SDK's
# dependencies' headers, which a server running only the host does not: suggested, not depended on.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS
    "cmake, pkg-config, g++, libcurl4-openssl-dev | libcurl-dev, zlib1g-dev, libsimdjson-dev, nlohmann-json3-dev")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_LIST_DIR}/debian/postinst ${CMAKE_CURRENT_LIST_DIR}/debian/prerm
    ${CMAKE_CURRENT_LIST_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
