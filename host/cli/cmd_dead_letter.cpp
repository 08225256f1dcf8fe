// `switchyard dead-letter list|replay`: read the store's dead letters, move them back to the queue.
// Safe beside a running host: the store is SQLite in WAL mode, and replay is one transaction.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <iostream>

#include "host/cli/command.h"
#include "host/json/json_text.h"
#include "host/store/store.h"

namespace switchyard::cli {
namespace {

constexpr Flag kDataDirFlag = {"data-dir", "DIR", "where the durable store lives", "var"};
constexpr Flag kDestinationFlag = {"destination", "KEY", "only this destination (<workspace>/<destination id>)", ""};

constexpr Flag kListFlags[] = {
    kDataDirFlag,
    kDestinationFlag,
    {"limit", "N", "print at most N dead letters, oldest first", "all"},
};

constexpr Flag kReplayFlags[] = {
    kDataDirFlag,
    kDestinationFlag,
    {"id", "N[,N...]", "the dead letter(s) to replay; repeatable", ""},
    {"all", "", "replay every dead letter (of --destination when given)", ""},
};

std::string iso8601_utc(int64_t ms) {
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];  // room for any int year, which the compiler checks
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms % 1000));
    return text;
}

int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The CLI never creates a store: a mistyped --data-dir must not look like "no dead letters".
std::unique_ptr<Store> open_existing_store(const Args &args, std::string_view command) {
    const std::filesystem::path data_dir = args.value_or("data-dir", "var");
    if (!std::filesystem::exists(data_dir / "switchyard.db")) {
        std::cerr << "switchyard " << command << ": no store at " << (data_dir / "switchyard.db").string()
                  << " (is --data-dir right?)\n";
        return nullptr;
    }
    return open_sqlite_store(data_dir);
}

// The stored payload is the JSON text the ingestion API accepted; it goes out verbatim.
std::string dead_letter_line(const DeadLetter &letter) {
    std::string line = "{\"id\":" + std::to_string(letter.id) + ",\"destination\":";
    json::append_string(line, letter.destination);
    line += ",\"user\":";
    json::append_string(line, letter.user_key);
    line += ",\"attempts\":" + std::to_string(letter.attempts) + ",\"failed_at\":\"" + iso8601_utc(letter.failed_ms) +
            "\",\"reason\":";
    json::append_string(line, letter.reason);
    line += ",\"event\":" + letter.payload + "}\n";
    return line;
}

int run_list(const Args &args) {
    std::optional<size_t> limit = SIZE_MAX;
    if (args.has("limit")) limit = parse_whole_number(*args.value("limit"));
    if (!limit) {
        std::cerr << "switchyard dead-letter list: --limit must be a whole number\n";
        return kExitUsage;
    }
    auto store = open_existing_store(args, "dead-letter list");
    if (!store) return kExitUsage;
    for (const DeadLetter &letter : store->dead_letters(args.value_or("destination", ""), *limit))
        std::cout << dead_letter_line(letter);
    return kExitOk;
}

// Every --id value, each of which may be a comma-separated list; nullopt when one is not a number.
std::optional<std::vector<int64_t>> requested_ids(const Args &args) {
    std::vector<int64_t> ids;
    for (const std::string &value : args.every_value("id")) {
        for (size_t start = 0; start <= value.size();) {
            const size_t comma = std::min(value.find(',', start), value.size());
            const auto id = parse_whole_number(std::string_view(value).substr(start, comma - start));
            if (!id || *id > static_cast<size_t>(INT64_MAX)) return std::nullopt;
            ids.push_back(static_cast<int64_t>(*id));
            start = comma + 1;
        }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

int run_replay(const Args &args) {
    const auto ids = requested_ids(args);
    if (!ids || ids->empty() == !args.has("all")) {
        std::cerr << "switchyard dead-letter replay: give either --id N[,N...] (whole numbers) or --all\n";
        return kExitUsage;
    }
    auto store = open_existing_store(args, "dead-letter replay");
    if (!store) return kExitUsage;
    const size_t replayed = store->replay(args.value_or("destination", ""), *ids, now_ms());
    std::cout << "Replayed " << replayed << " dead letter" << (replayed == 1 ? "" : "s") << ".\n";
    if (!ids->empty() && replayed < ids->size()) {
        std::cerr << "switchyard dead-letter replay: " << ids->size() - replayed
                  << " of the given ids are not dead letters" << (args.has("destination") ? " of that destination" : "")
                  << "\n";
        return kExitProblems;
    }
    return kExitOk;
}

}  // namespace

const Command kDeadLetterListCommand{
    "dead-letter list", "Print the dead letters as NDJSON, oldest first (one line each, with the event).", kListFlags,
    run_list};

const Command kDeadLetterReplayCommand{
    "dead-letter replay", "Move dead letters back into the queue as fresh jobs; prints how many.", kReplayFlags,
    run_replay};

}  // namespace switchyard::cli
