# What `cmake --install` lays out for building plugins outside the tree (docs/plugin-abi.md,
# "Building a plugin"): the ABI and SDK headers under include/, the static SDK under lib/, the CMake
# package SwitchyardPlugin under lib/cmake/SwitchyardPlugin (targets Switchyard::plugin_api and
# Switchyard::plugin_sdk, and switchyard_add_plugin from the very file the tree uses) and the
# pkg-config module lib/pkgconfig/switchyard-plugin.pc. Literally lib/, as for the plugins
# (SwitchyardInstall.cmake): CMake and pkg-config search <prefix>/lib on every distribution.
include(CMakePackageConfigHelpers)
set(SWITCHYARD_PLUGIN_PACKAGE_DIR lib/cmake/SwitchyardPlugin)

install(DIRECTORY plugin_api/ plugin_sdk/include/ DESTINATION include)
install(TARGETS switchyard_plugin_api switchyard_plugin_sdk EXPORT SwitchyardPluginTargets
  ARCHIVE DESTINATION lib)
install(EXPORT SwitchyardPluginTargets NAMESPACE Switchyard:: DESTINATION ${SWITCHYARD_PLUGIN_PACKAGE_DIR})

# 0.x: a minor release may change the SDK's C++ interface.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/SwitchyardPluginConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES
  ${CMAKE_CURRENT_LIST_DIR}/SwitchyardPluginConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/SwitchyardPluginConfigVersion.cmake
  ${CMAKE_CURRENT_LIST_DIR}/SwitchyardPlugin.cmake
  ${CMAKE_CURRENT_LIST_DIR}/SwitchyardWarnings.cmake
  DESTINATION ${SWITCHYARD_PLUGIN_PACKAGE_DIR})

configure_file(${CMAKE_CURRENT_LIST_DIR}/switchyard-plugin.pc.in
  ${CMAKE_CURRENT_BINARY_DIR}/switchyard-plugin.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/switchyard-plugin.pc DESTINATION lib/pkgconfig)
