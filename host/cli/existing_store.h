// The store of `--store` (or `--data-dir`) for the commands that work on it beside running hosts.
#pragma once

#include <memory>
#include <string_view>

#include "host/cli/args.h"
#include "host/cli/command.h"
#include "host/store/store.h"

namespace switchyard::cli {

inline constexpr Flag kDataDirFlag = {"data-dir", "DIR", "where the durable store lives (SQLite)", "var"};
inline constexpr Flag kStoreFlag = {"store", "URL", "the store as serve's --store names it: sqlite:PATH or postgresql://...", "sqlite:DATA_DIR/switchyard.db"};

// The CLI never creates a store: a mistyped --data-dir must not look like an empty one (a
// PostgreSQL store is opened, migrated if new, and joins no cluster). Null, with a line on
// stderr naming `command`, when there is none or it cannot be opened.
std::unique_ptr<Store> open_existing_store(const Args &args, std::string_view command);

}  // namespace switchyard::cli
