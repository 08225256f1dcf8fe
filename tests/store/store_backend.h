// The stores the shared store suite runs over: each opens (and reopens) its store, and counts
// rows in the store's tables behind its back.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "host/store/store.h"
#include "tests/support/test_postgres.h"

namespace switchyard::testing {

class StoreBackend {
   public:
    virtual ~StoreBackend() = default;
    // A new store on the same data as every store opened before it.
    virtual std::unique_ptr<Store> open() = 0;
    // The store as a one-off command (dead-letter, regulation) opens it beside a running host.
    virtual std::unique_ptr<Store> open_for_command() = 0;
    // SELECT COUNT(*) FROM `table_and_where`, e.g. "jobs WHERE destination = 'acme/x'".
    virtual int64_t count_rows(const std::string &table_and_where) = 0;
};

// The store in `data_dir`.
std::unique_ptr<StoreBackend> sqlite_backend(const std::filesystem::path &data_dir);
// The store on `database`, with its crash journal in `data_dir` (a command's has none).
std::unique_ptr<StoreBackend> postgres_backend(const TestDatabase &database, const std::filesystem::path &data_dir);

}  // namespace switchyard::testing
