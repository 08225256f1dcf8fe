// `switchyard dead-letter list|replay|purge`: read the store's dead letters, move them back to
// the queue, delete them. Safe beside a running host: the store is SQLite in WAL mode, and
// replay and purge are one transaction each.
#include <algorithm>
#include <cstdint>
#include <iostream>

#include "host/cli/command.h"
#include "host/cli/existing_store.h"
#include "host/config/quantities.h"
#include "host/json/json_text.h"
#include "host/log/utc_time.h"
#include "host/store/store.h"

namespace switchyard::cli {
namespace {

constexpr Flag kDestinationFlag = {"destination", "KEY", "only this destination (<workspace>/<destination id>)", ""};

constexpr Flag kListFlags[] = {
    kDataDirFlag,
    kStoreFlag,
    kDestinationFlag,
    {"limit", "N", "print at most N dead letters, oldest first", "all"},
};

constexpr Flag kReplayFlags[] = {
    kDataDirFlag,
    kStoreFlag,
    kDestinationFlag,
    {"id", "N[,N...]", "the dead letter(s) to replay; repeatable", ""},
    {"all", "", "replay every dead letter (of --destination when given)", ""},
};

constexpr Flag kPurgeFlags[] = {
    kDataDirFlag,
    kStoreFlag,
    kDestinationFlag,
    {"id", "N[,N...]", "the dead letter(s) to delete; repeatable", ""},
    {"all", "", "delete every dead letter (of --destination when given)", ""},
    {"older-than", "DURATION", "delete those dead-lettered longer ago than this, like 12h or 7d", ""},
};

// The stored payload is the JSON text the ingestion API accepted; it goes out verbatim.
std::string dead_letter_line(const DeadLetter &letter) {
    std::string line = "{\"id\":" + std::to_string(letter.id) + ",\"destination\":";
    json::append_string(line, letter.destination);
    line += ",\"user\":";
    json::append_string(line, letter.user_key);
    line += ",\"attempts\":" + std::to_string(letter.attempts) + ",\"failed_at\":\"" + log::rfc3339_utc(letter.failed_ms) +
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
    const size_t replayed = store->replay(args.value_or("destination", ""), *ids, log::unix_now_ms());
    std::cout << "Replayed " << replayed << " dead letter" << (replayed == 1 ? "" : "s") << ".\n";
    if (!ids->empty() && replayed < ids->size()) {
        std::cerr << "switchyard dead-letter replay: " << ids->size() - replayed
                  << " of the given ids are not dead letters" << (args.has("destination") ? " of that destination" : "")
                  << "\n";
        return kExitProblems;
    }
    return kExitOk;
}

// What `purge` deletes; nullopt (after saying why) unless exactly one well-formed choice is given.
std::optional<PurgeSelection> purge_selection(const Args &args) {
    const auto ids = requested_ids(args);
    const auto older_than = args.has("older-than") ? parse_duration(*args.value("older-than")) : std::nullopt;
    const int choices = (args.has("id") ? 1 : 0) + (args.has("all") ? 1 : 0) + (args.has("older-than") ? 1 : 0);
    if (choices != 1 || !ids || (args.has("older-than") && !older_than)) {
        std::cerr << "switchyard dead-letter purge: give exactly one of --id N[,N...] (whole numbers), --all, "
                     "--older-than DURATION (like 12h or 7d)\n";
        return std::nullopt;
    }
    PurgeSelection selection{args.value_or("destination", ""), *ids, std::nullopt};
    if (older_than) selection.failed_before_ms = log::unix_now_ms() - older_than->count();
    return selection;
}

int run_purge(const Args &args) {
    const auto selection = purge_selection(args);
    if (!selection) return kExitUsage;
    auto store = open_existing_store(args, "dead-letter purge");
    if (!store) return kExitUsage;
    const size_t purged = store->purge(*selection);
    std::cout << "Purged " << purged << " dead letter" << (purged == 1 ? "" : "s") << ".\n";
    if (purged < selection->ids.size()) {
        std::cerr << "switchyard dead-letter purge: " << selection->ids.size() - purged
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

const Command kDeadLetterPurgeCommand{
    "dead-letter purge", "Delete dead letters for good; prints how many.", kPurgeFlags, run_purge};

}  // namespace switchyard::cli
