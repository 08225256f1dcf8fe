# The installed CMake package SwitchyardPlugin: what a plugin built outside the Switchyard tree
# needs (docs/plugin-abi.md, "Building a plugin"):
#   find_package(SwitchyardPlugin REQUIRED)
#   switchyard_add_plugin(<name> SOURCES plugin.cpp LIBRARIES Switchyard::plugin_sdk)
# Targets: Switchyard::plugin_api (the C ABI headers) and Switchyard::plugin_sdk (the static SDK
# with the ABI headers and the libraries its code needs).
include(CMakeFindDependencyMacro)
# The SDK's usage requirements (plugin_sdk/CMakeLists.txt): simdjson and nlohmann_json appear in
# its headers; libcurl and zlib are linked from the static archive.
find_dependency(simdjson)
find_dependency(nlohmann_json 3.10)
find_dependency(CURL)
find_dependency(ZLIB)

include(${CMAKE_CURRENT_LIST_DIR}/SwitchyardPluginTargets.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/SwitchyardWarnings.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/SwitchyardPlugin.cmake)
