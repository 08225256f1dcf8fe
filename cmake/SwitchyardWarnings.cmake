# Warnings of the project's own code (not of third-party headers, which come in as SYSTEM includes
# from Debian's packages). The tree makes them errors (SWITCHYARD_WARNINGS_AS_ERRORS, top
# CMakeLists.txt). The installed SwitchyardPlugin package ships this file for switchyard_add_plugin;
# there they are errors only with -DSWITCHYARD_WARNINGS_AS_ERRORS=ON, so that a newer compiler's
# new warning does not break a plugin author's build against a released SDK.
function(switchyard_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra $<$<BOOL:${SWITCHYARD_WARNINGS_AS_ERRORS}>:-Werror>)
endfunction()
