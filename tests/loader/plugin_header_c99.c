/* Compiles plugin.h as strict C99: the ABI header must stay usable from plain C. */
#include "switchyard/plugin.h"

int plugin_header_is_c99(void) { return SY_ABI_MAJOR; }
