// The SQLite store's part of regulations: their records, and purging a user's jobs and dead
// letters. Rare operator actions, so statements are prepared per call.
#include "host/store/sqlite_statements.h"
#include "host/store/sqlite_store.h"

namespace switchyard {

int64_t SqliteStore::add_regulation(std::string_view record, int64_t now_ms) {
    std::lock_guard lock(writer_mutex_);
    sqlite::Transaction transaction(writer_);
    sqlite::Statement(writer_, "INSERT INTO regulations(created_ms, record) VALUES(?1, ?2)").bind(1, now_ms).bind(2, record).run();
    const int64_t id = writer_.last_insert_id();
    transaction.commit();
    return id;
}

std::vector<StoredRegulation> SqliteStore::regulations() {
    std::lock_guard lock(reader_mutex_);
    sqlite::Statement query(reader_, "SELECT id, created_ms, record FROM regulations ORDER BY id");
    sqlite::ResetOnExit reset(query);
    std::vector<StoredRegulation> out;
    while (query.step()) out.push_back({query.integer(0), query.integer(1), std::string(query.text(2))});
    return out;
}

void SqliteStore::update_regulation(int64_t id, std::string_view record) {
    std::lock_guard lock(writer_mutex_);
    sqlite::Transaction transaction(writer_);
    sqlite::Statement(writer_, "UPDATE regulations SET record = ?2 WHERE id = ?1").bind(1, id).bind(2, record).run();
    transaction.commit();
}

size_t SqliteStore::purge_user_jobs(std::string_view destination, std::string_view user_key) {
    std::lock_guard lock(writer_mutex_);
    sqlite::Transaction transaction(writer_);
    std::vector<int64_t> ids;
    {
        sqlite::Statement query(writer_, "SELECT id FROM jobs WHERE destination = ?1 AND user_key = ?2");
        sqlite::ResetOnExit reset(query);
        query.bind(1, destination).bind(2, user_key);
        while (query.step()) ids.push_back(query.integer(0));
    }
    DepthChanges depth;
    for (int64_t id : ids) remove_job(id, depth);
    depth.write(write_->add_depth);
    transaction.commit();
    return ids.size();
}

size_t SqliteStore::purge_user_dead_letters(std::string_view destination, std::string_view user_key) {
    std::lock_guard lock(writer_mutex_);
    sqlite::Transaction transaction(writer_);
    sqlite::Statement(writer_, "DELETE FROM dead_letters WHERE destination = ?1 AND user_key = ?2")
        .bind(1, destination)
        .bind(2, user_key)
        .run();
    const auto purged = static_cast<size_t>(writer_.changes());
    transaction.commit();
    return purged;
}

}  // namespace switchyard
