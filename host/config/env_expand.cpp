// Environment and secret-file references, and durations, in configuration values.
#include "host/config/env_expand.h"

#include <algorithm>
#include <fstream>

namespace switchyard {
namespace {

constexpr std::string_view kFilePrefix = "file:";
// A secret file holds one key or token; a bound keeps a mistaken path (a log, a disk image) out of memory.
constexpr size_t kMaxSecretFileBytes = size_t{64} * 1024;

// Only regular files: a FIFO or a device such as /dev/stdin would block the load.
std::optional<std::string> read_secret_file(const std::filesystem::path &path, std::string &error) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        error = "secret file " + path.string() + " does not exist or is not a regular file";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::string content(kMaxSecretFileBytes + 1, '\0');
    if (in) in.read(content.data(), static_cast<std::streamsize>(content.size()));
    if (!in.is_open() || in.bad()) {
        error = "secret file " + path.string() + " cannot be read";
        return std::nullopt;
    }
    content.resize(static_cast<size_t>(in.gcount()));
    if (content.size() > kMaxSecretFileBytes) {
        error = "secret file " + path.string() + " is larger than 64 KiB";
        return std::nullopt;
    }
    if (!content.empty() && content.back() == '\n') content.pop_back();
    return content;
}

std::optional<std::string> resolve(const std::string &reference, const ReferenceSources &sources, std::string &error) {
    if (reference.rfind(kFilePrefix, 0) == 0) {
        const std::string path = reference.substr(kFilePrefix.size());
        if (path.empty()) {
            error = "\"${file:}\" needs a path";
            return std::nullopt;
        }
        return read_secret_file(sources.base_dir / path, error);
    }
    auto value = sources.env(reference);
    if (!value) error = "environment variable " + reference + " is not set";
    return value;
}

}  // namespace

std::optional<Expansion> expand_references(std::string_view text, const ReferenceSources &sources, std::string &error) {
    Expansion out;
    size_t at = 0;
    while (at < text.size()) {
        const size_t start = text.find("${", at);
        if (start == std::string_view::npos) break;
        if (start > 0 && text[start - 1] == '$') {  // "$${" escapes a literal "${"
            out.text.append(text.substr(at, start - 1 - at)).append("${");
            at = start + 2;
            continue;
        }
        const size_t end = text.find('}', start);
        if (end == std::string_view::npos) {
            error = "unclosed \"${\" reference";
            return std::nullopt;
        }
        auto value = resolve(std::string(text.substr(start + 2, end - start - 2)), sources, error);
        if (!value) return std::nullopt;
        out.text.append(text.substr(at, start - at)).append(*value);
        out.values.push_back(std::move(*value));
        at = end + 1;
    }
    out.text.append(text.substr(std::min(at, text.size())));
    return out;
}


}  // namespace switchyard
