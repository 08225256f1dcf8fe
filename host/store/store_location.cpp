// `--store URL`: SQLite by path or PostgreSQL by URI, its references expanded, its password a secret.
#include "host/store/store_location.h"

#include "host/config/env_expand.h"
#include "host/log/log.h"
#include "host/store/store.h"

namespace switchyard {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";
constexpr std::string_view kPostgresSchemes[] = {"postgresql://", "postgres://"};

// The password of "scheme://user:password@host...": where it starts and how long it is.
std::optional<std::pair<size_t, size_t>> password_span(std::string_view url) {
    const size_t authority = url.find("://");
    if (authority == std::string_view::npos) return std::nullopt;
    const size_t start = authority + 3;
    const size_t end = std::min(url.find_first_of("/?#", start), url.size());
    const size_t at = url.rfind('@', end);
    if (at == std::string_view::npos || at < start) return std::nullopt;
    const size_t colon = url.find(':', start);
    if (colon == std::string_view::npos || colon > at) return std::nullopt;
    return std::pair{colon + 1, at - colon - 1};
}

bool is_postgres(std::string_view text) {
    for (std::string_view scheme : kPostgresSchemes)
        if (text.starts_with(scheme)) return true;
    return false;
}

}  // namespace

std::string url_without_password(std::string_view url) {
    std::string shown(url);
    if (const auto password = password_span(url)) shown.replace(password->first, password->second, "[redacted]");
    return shown;
}

std::optional<StoreLocation> parse_store_location(std::string_view text, const std::filesystem::path &data_dir,
                                                  std::string &error) {
    if (text.empty()) return StoreLocation{sqlite_store_file(data_dir), {}, "sqlite:" + sqlite_store_file(data_dir).string()};
    const bool postgres = is_postgres(text);
    if (!postgres && !text.starts_with(kSqliteScheme)) {
        error = "--store must be sqlite:PATH or postgresql://USER:PASSWORD@HOST:PORT/DATABASE";
        return std::nullopt;
    }
    std::string reference_error;
    const auto expanded = expand_references(text, ReferenceSources{process_env, std::filesystem::current_path()}, reference_error);
    if (!expanded) {
        error = "--store: " + reference_error;
        return std::nullopt;
    }
    for (const std::string &value : expanded->values) log::add_secret(value);
    if (const auto password = password_span(expanded->text); postgres && password && password->second > 0)
        log::add_secret(expanded->text.substr(password->first, password->second));
    if (!postgres) {
        const std::string path = expanded->text.substr(kSqliteScheme.size());
        if (path.empty()) {
            error = "--store sqlite: needs a path to the database file";
            return std::nullopt;
        }
        return StoreLocation{path, {}, std::string(kSqliteScheme) + path};
    }
    return StoreLocation{{}, expanded->text, url_without_password(expanded->text)};
}

}  // namespace switchyard
