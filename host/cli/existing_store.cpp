// Opening the store of `--data-dir` (see existing_store.h).
#include "host/cli/existing_store.h"

#include <filesystem>
#include <iostream>

namespace switchyard::cli {

std::unique_ptr<Store> open_existing_store(const Args &args, std::string_view command) {
    const std::filesystem::path data_dir = args.value_or("data-dir", "var");
    if (!std::filesystem::exists(data_dir / "switchyard.db")) {
        std::cerr << "switchyard " << command << ": no store at " << (data_dir / "switchyard.db").string()
                  << " (is --data-dir right?)\n";
        return nullptr;
    }
    return open_sqlite_store(data_dir);
}

}  // namespace switchyard::cli
