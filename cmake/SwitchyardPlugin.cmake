# switchyard_add_plugin(<name> SOURCES <files...> [LIBRARIES <libs...>]
#                       [OUTPUT_DIR <dir>] [OUTPUT_NAME <file name>] [DEFINITIONS <defs...>]
#                       [NO_INSTALL])
# Builds <name>.so into SWITCHYARD_PLUGIN_OUTPUT_DIR (or OUTPUT_DIR, for test builds) with what
# every plugin needs: hidden visibility (only the ABI entry is exported), -fno-gnu-unique (GCC;
# below), no undefined symbols (-Wl,-z,defs: a plugin links no host symbol), the project's
# warnings (SwitchyardWarnings.cmake). Plugins built into SWITCHYARD_PLUGIN_OUTPUT_DIR install to
# lib/switchyard/plugins, where an installed `switchyard` looks for them (host/cli/main.cpp),
# unless NO_INSTALL; test builds are never installed.
#
# One definition for the tree and for plugins built elsewhere: the installed CMake package
# SwitchyardPlugin (cmake/SwitchyardPluginPackage.cmake) ships this very file beside
# SwitchyardWarnings.cmake. In the tree, the top CMakeLists.txt sets SWITCHYARD_PLUGIN_OUTPUT_DIR
# to build/plugins (a plugin directory) and SWITCHYARD_SANITIZE/SWITCHYARD_FUZZ may be on;
# elsewhere the plugin lands in the top of the build directory and the sanitizer switches are off.
if(NOT DEFINED SWITCHYARD_PLUGIN_OUTPUT_DIR)
  set(SWITCHYARD_PLUGIN_OUTPUT_DIR ${CMAKE_BINARY_DIR})
endif()

# GCC marks inline statics of templates STB_GNU_UNIQUE, and glibc never unloads a library that
# first defined such a symbol: a reloaded plugin would stay mapped until exit (the loader refuses
# such a plugin). Apply to a plugin and to every static library linked into one.
function(switchyard_unloadable target)
  target_compile_options(${target} PRIVATE $<$<CXX_COMPILER_ID:GNU>:-fno-gnu-unique>)
endfunction()

function(switchyard_add_plugin name)
  cmake_parse_arguments(ARG "NO_INSTALL" "OUTPUT_DIR;OUTPUT_NAME" "SOURCES;LIBRARIES;DEFINITIONS" ${ARGN})
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR ${SWITCHYARD_PLUGIN_OUTPUT_DIR})
  endif()
  if(NOT ARG_OUTPUT_NAME)
    set(ARG_OUTPUT_NAME ${name})
  endif()
  set(target sy_plugin_${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_compile_definitions(${target} PRIVATE ${ARG_DEFINITIONS})
  switchyard_unloadable(${target})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${ARG_OUTPUT_NAME}
    PREFIX ""
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR}
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${target} PRIVATE Switchyard::plugin_api ${ARG_LIBRARIES})
  if(NOT SWITCHYARD_SANITIZE AND NOT SWITCHYARD_FUZZ)  # sanitizer runtimes come from the executable
    target_link_options(${target} PRIVATE -Wl,-z,defs)
  endif()
  switchyard_warnings(${target})
  if(ARG_OUTPUT_DIR STREQUAL SWITCHYARD_PLUGIN_OUTPUT_DIR AND NOT ARG_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION lib/switchyard/plugins)
  endif()
endfunction()
