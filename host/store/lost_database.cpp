// Telling a new data directory from one whose database was lost.
#include "host/store/lost_database.h"

namespace switchyard {
namespace {

// What a store's database leaves beside it; each name is appended to the database file's name.
constexpr std::string_view kJournalSuffixes[] = {"-wal", "-shm", "-journal"};

}  // namespace

std::optional<std::string> traces_of_lost_database(const std::filesystem::path &database, const std::filesystem::path &data_dir,
                                                   std::initializer_list<std::string_view> host_files) {
    std::error_code ec;
    if (std::filesystem::exists(database, ec) || ec) return std::nullopt;  // a problem for the open to name
    std::string traces;
    auto note = [&](const std::filesystem::path &trace) {
        if (std::filesystem::exists(trace, ec)) traces += (traces.empty() ? "" : ", ") + trace.filename().string();
    };
    for (std::string_view suffix : kJournalSuffixes) note(database.string() + std::string(suffix));
    for (std::string_view name : host_files) note(data_dir / name);
    if (traces.empty()) return std::nullopt;
    return traces;
}

void remove_lost_database_journal(const std::filesystem::path &database) {
    std::error_code ec;
    for (std::string_view suffix : kJournalSuffixes) std::filesystem::remove(database.string() + std::string(suffix), ec);
}

}  // namespace switchyard
