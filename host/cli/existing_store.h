// The store of `--data-dir` for the commands that work on it beside a running host.
#pragma once

#include <memory>
#include <string_view>

#include "host/cli/args.h"
#include "host/store/store.h"

namespace switchyard::cli {

// The CLI never creates a store: a mistyped --data-dir must not look like an empty one. Null,
// with a line on stderr naming `command`, when there is none.
std::unique_ptr<Store> open_existing_store(const Args &args, std::string_view command);

}  // namespace switchyard::cli
