// The crash journal's file: one row per plugin call in flight, its job ids as text.
#include "host/store/crash_journal.h"

#include <charconv>

#include "host/store/sqlite_schema.h"

namespace switchyard {
namespace {

std::string joined(std::span<const int64_t> ids) {
    std::string text;
    for (int64_t id : ids) {
        if (!text.empty()) text += ',';
        text += std::to_string(id);
    }
    return text;
}

void append_ids(std::string_view text, std::vector<int64_t> &ids) {
    for (const char *at = text.data(), *end = text.data() + text.size(); at < end; ++at) {
        int64_t id = 0;
        at = std::from_chars(at, end, id).ptr;
        ids.push_back(id);
    }
}

}  // namespace

CrashJournal::CrashJournal(const std::filesystem::path &file) : connection_(file) {
    sqlite::configure_journal_connection(connection_);
    insert_entry_ = std::make_unique<sqlite::Statement>(connection_, "INSERT INTO crash_journal(destination, job_ids) VALUES(?1, ?2)");
    delete_entry_ = std::make_unique<sqlite::Statement>(connection_, "DELETE FROM crash_journal WHERE id = ?1");
}

int64_t CrashJournal::begin(std::string_view destination, std::span<const int64_t> job_ids) {
    std::lock_guard lock(mutex_);
    insert_entry_->bind(1, destination).bind(2, joined(job_ids)).run();
    return connection_.last_insert_id();
}

void CrashJournal::end(int64_t entry) {
    std::lock_guard lock(mutex_);
    delete_entry_->bind(1, entry).run();
}

std::vector<int64_t> CrashJournal::jobs_in_calls() {
    std::lock_guard lock(mutex_);
    std::vector<int64_t> job_ids;
    sqlite::Statement entries(connection_, "SELECT job_ids FROM crash_journal");
    sqlite::ResetOnExit reset(entries);
    while (entries.step()) append_ids(entries.text(0), job_ids);
    return job_ids;
}

void CrashJournal::clear() {
    std::lock_guard lock(mutex_);
    connection_.exec("DELETE FROM crash_journal");
}

}  // namespace switchyard
