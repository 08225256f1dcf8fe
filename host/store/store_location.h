// `--store URL`: which store a host (or a dead-letter/regulation command) opens.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard {

struct StoreLocation {
    std::filesystem::path sqlite_file;  // "sqlite:PATH": the database file; empty for PostgreSQL
    std::string postgresql_url;         // "postgresql://...": references expanded, password included
    std::string shown;                  // for messages: the URL with its password as "[redacted]"
};

// "sqlite:PATH" or "postgresql://user:password@host:port/database" (also "postgres://"); an
// empty `text` is "sqlite:<data_dir>/switchyard.db". ${NAME} and ${file:PATH} references are
// expanded (a password kept out of ps and shell history); every value they bring and the URL's
// password are registered as secrets, so no log line shows them. nullopt with `error` set (a
// sentence without the password) when the text is neither.
std::optional<StoreLocation> parse_store_location(std::string_view text, const std::filesystem::path &data_dir,
                                                  std::string &error);

// `url` with the password of its user part (user:password@) as "[redacted]".
std::string url_without_password(std::string_view url);

}  // namespace switchyard
