// Journaling a batch's plugin call, and leaving the journal when the call is over.
#include "host/router/crash_journal.h"

#include "host/log/log.h"

namespace switchyard {

CrashJournalEntry::CrashJournalEntry(Store &store, const std::string &destination, const std::vector<Job> &jobs,
                                     bool enabled)
    : store_(store), destination_(destination) {
    if (!enabled) return;
    std::vector<int64_t> ids;
    ids.reserve(jobs.size());
    for (const Job &job : jobs) ids.push_back(job.id);
    try {
        entry_ = store_.begin_plugin_call(destination_, ids);
    } catch (const std::exception &e) {
        log::error("router:" + destination_, std::string("Could not record the batch in the crash journal: ") + e.what());
    }
}

CrashJournalEntry::~CrashJournalEntry() { end(); }

void CrashJournalEntry::end() {
    if (!entry_) return;
    const int64_t entry = *entry_;
    entry_.reset();
    try {
        store_.end_plugin_call(entry);
    } catch (const std::exception &e) {
        log::error("router:" + destination_, std::string("Could not clear the batch from the crash journal: ") + e.what());
    }
}

void blame_plugin_crash(Store &store, int64_t now_ms) {
    const std::vector<CrashSuspects> blamed = store.blame_crashed_plugin_calls(now_ms);
    if (blamed.empty()) return;
    std::string line = "The previous run ended inside in-process plugin calls (a crash, or kill -9):";
    for (const CrashSuspects &found : blamed)
        line += " " + found.destination + ": " + std::to_string(found.suspects) +
                " event(s) suspected, now delivered one at a time, " + std::to_string(found.dead_lettered) +
                " dead-lettered (in flight during two crashes);";
    line.back() = '.';
    log::warn("crash-journal", line);
}

}  // namespace switchyard
