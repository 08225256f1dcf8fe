# switchyard_add_plugin(<name> SOURCES <files...> [LIBRARIES <libs...>])
# Builds plugins/<name>.so: hidden visibility (only the ABI entry is exported),
# no undefined symbols (a plugin links no host symbol), warnings as errors.
function(switchyard_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  set(target sy_plugin_${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${name}
    PREFIX ""
    LIBRARY_OUTPUT_DIRECTORY ${SWITCHYARD_PLUGIN_OUTPUT_DIR}
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${target} PRIVATE switchyard_plugin_api ${ARG_LIBRARIES})
  if(NOT SWITCHYARD_SANITIZE)
    target_link_options(${target} PRIVATE -Wl,-z,defs)
  endif()
  switchyard_warnings(${target})
endfunction()
