// `switchyard regulation add|list`: the regulations of a store, beside a running host or not
// (docs/regulations.md). A running host picks an added regulation up within a second.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "host/cli/command.h"
#include "host/cli/existing_store.h"
#include "host/log/utc_time.h"
#include "host/regulation/regulation_request.h"
#include "host/service/regulation_endpoints.h"

namespace switchyard::cli {
namespace {

constexpr Flag kAddFlags[] = {
    kDataDirFlag,
    kStoreFlag,
    {"file", "FILE", "the regulation as JSON: {\"regulationType\", \"destinationIds\"?, \"users\"}", ""},
};
constexpr Flag kListFlags[] = {kDataDirFlag, kStoreFlag};

int run_add(const Args &args) {
    const std::optional<std::string> file = args.value("file");
    std::ifstream in(file.value_or(""), std::ios::binary);
    if (!file || !in) {
        std::cerr << "switchyard regulation add: give --file FILE, a readable JSON file.\n";
        return kExitUsage;
    }
    std::ostringstream body;
    body << in.rdbuf();
    const regulation::RequestRead read = regulation::read_request(body.str());
    if (!read.error.empty()) {
        std::cerr << "switchyard regulation add: " << *file << ": " << read.error << "\n";
        return kExitUsage;
    }
    auto store = open_existing_store(args, "regulation add");
    if (!store) return kExitUsage;
    const int64_t id = store->add_regulation(regulation::to_record(read.regulation), log::unix_now_ms());
    std::cout << "Added regulation " << id << " (" << regulation::type_name(read.regulation.type) << ", "
              << read.regulation.users.size() << " user(s)).\n";
    return kExitOk;
}

int run_list(const Args &args) {
    auto store = open_existing_store(args, "regulation list");
    if (!store) return kExitUsage;
    for (const StoredRegulation &stored : store->regulations())
        std::cout << regulation_json(regulation::from_record(stored.id, stored.created_ms, stored.record)).dump() << "\n";
    return kExitOk;
}

}  // namespace

const Command kRegulationAddCommand{
    "regulation add", "Store a user suppression or deletion (RudderStack's regulation body) for the host to carry out.",
    kAddFlags, run_add};

const Command kRegulationListCommand{
    "regulation list", "Print the regulations as NDJSON, oldest first, each with its state.", kListFlags, run_list};

}  // namespace switchyard::cli
