// Opening the store of `--data-dir` (see existing_store.h).
#include "host/cli/existing_store.h"

#include <filesystem>
#include <iostream>

#include "host/store/store_location.h"

namespace switchyard::cli {

std::unique_ptr<Store> open_existing_store(const Args &args, std::string_view command) {
    const std::filesystem::path data_dir = args.value_or("data-dir", "var");
    std::string error;
    const std::optional<StoreLocation> location = parse_store_location(args.value_or("store", ""), data_dir, error);
    if (!location) {
        std::cerr << "switchyard " << command << ": " << error << "\n";
        return nullptr;
    }
    if (!location->postgresql_url.empty()) try {
            return open_postgres_store({location->postgresql_url, {}, std::chrono::milliseconds(0), false});
        } catch (const std::exception &e) {
            std::cerr << "switchyard " << command << ": " << e.what() << "\n";
            return nullptr;
        }
    if (!std::filesystem::exists(location->sqlite_file)) {
        std::cerr << "switchyard " << command << ": no store at " << location->sqlite_file.string()
                  << " (is --data-dir or --store right?)\n";
        return nullptr;
    }
    return open_sqlite_store_file(location->sqlite_file);
}

}  // namespace switchyard::cli
