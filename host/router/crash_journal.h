// The router's side of the crash journal (Store::begin_plugin_call): while a batch is in a plugin
// call inside the host process, its jobs are on record, so that a crash of the process is
// pinned on them at the next start instead of handing them to the plugin again and again.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/store/store.h"

namespace switchyard {

// Records `jobs` as in a plugin call for as long as it lives; does nothing when not `enabled`
// (a plugin isolated in a child process cannot crash the host). Store errors are logged, never
// thrown: delivery goes on unrecorded rather than not at all.
class CrashJournalEntry {
   public:
    CrashJournalEntry(Store &store, const std::string &destination, const std::vector<Job> &jobs, bool enabled);
    ~CrashJournalEntry();
    // Takes the jobs off the record before the call is over: they were handed back (a call
    // abandoned at its deadline). Once only; the destructor then does nothing.
    void end();
    CrashJournalEntry(const CrashJournalEntry &) = delete;
    CrashJournalEntry &operator=(const CrashJournalEntry &) = delete;

   private:
    Store &store_;
    const std::string &destination_;
    std::optional<int64_t> entry_;
};

// At start, before delivery: pins the crash that ended the last run (if one did) on the jobs
// that were in a plugin call (Store::blame_crashed_plugin_calls) and logs one line saying how
// many of which destination are now suspects or dead letters. Throws what the store throws.
void blame_plugin_crash(Store &store, int64_t now_ms);

}  // namespace switchyard
