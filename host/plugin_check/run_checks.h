// Runs every contract check over one plugin file, in order, writing one line per check.
#pragma once

#include <ostream>

#include "host/plugin_check/checks.h"

namespace switchyard::plugin_check {

// Writes `ok <what>`, `FAIL: <sentence>` or `skip <what>: <why>` per check; true when none failed.
bool run_checks(Subject &subject, std::ostream &out);

}  // namespace switchyard::plugin_check
