// Strict YAML: each scalar's source text, found from yaml-cpp's mark, must end on the line it
// starts on unless it is a block scalar; `key:value` lines are named, parsed or not.
#include "host/config/yaml_strict.h"

#include <algorithm>
#include <optional>
#include <string_view>

namespace switchyard {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

struct YamlTrap {
    int line = 0;      // 1-based, in the file
    std::string key;   // the value's path, "sources[0].write_key"; in text that did not parse, the line's key
    std::string what;  // never quotes the value
};

constexpr std::string_view kSeveralLinesHint = "write text of several lines as a block scalar (| or >)";

// yaml-cpp counts lines by '\n' and columns in bytes, after a byte-order mark.
std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    for (;;) {
        const size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (line.ends_with('\r')) line.remove_suffix(1);
        lines.push_back(line);
        if (end == std::string_view::npos) return lines;
        text.remove_prefix(end + 1);
    }
}

std::string_view without_bom(std::string_view text) {
    if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
    return text;
}

void skip_blanks(std::string_view &s) { s.remove_prefix(std::min(s.find_first_not_of(" \t"), s.size())); }

// A line past its indentation and sequence dashes: where a key or a value starts.
std::string_view line_content(std::string_view line) {
    skip_blanks(line);
    while (line == "-" || line.starts_with("- ") || line.starts_with("-\t")) {
        line.remove_prefix(1);
        skip_blanks(line);
    }
    return line;
}

bool key_char(char c, bool first) {
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    return letter || (!first && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
}

// The key-like word `s` starts with, when a colon follows it.
std::string_view key_before_colon(std::string_view s) {
    size_t n = 0;
    while (n < s.size() && key_char(s[n], n == 0)) ++n;
    return n > 0 && n < s.size() && s[n] == ':' ? s.substr(0, n) : std::string_view{};
}

// "id:web" → "id"; "id: web", "id:" and "https://x" → empty.
std::string_view unspaced_key(std::string_view s) {
    const std::string_view key = key_before_colon(s);
    if (key.empty() || key.size() + 1 >= s.size()) return {};
    const char after = s[key.size() + 1];
    return after == ' ' || after == '\t' || after == '/' ? std::string_view{} : key;
}

std::string unspaced_what(std::string_view key) {
    return "\"" + std::string(key) +
           ":\" has no space after the colon, so the line reads as one string instead of a key and its value";
}

// A value's source from its first character, past its anchor (&a) and tag (!!str).
std::string_view past_properties(std::string_view s) {
    while (!s.empty() && (s.front() == '&' || s.front() == '!')) {
        s.remove_prefix(std::min(s.find_first_of(" \t"), s.size()));
        skip_blanks(s);
    }
    return s;
}

// The length of the quoted scalar that `s` opens, closing quote included; npos if it does not close.
size_t quoted_length(std::string_view s) {
    const char quote = s.front();
    for (size_t i = 1; i < s.size(); ++i) {
        if (quote == '"' && s[i] == '\\') {
            ++i;
            continue;
        }
        if (s[i] != quote) continue;
        if (quote == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {  // '' is an escaped '
            ++i;
            continue;
        }
        return i + 1;
    }
    return std::string_view::npos;
}

std::string_view trim_end(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// "key: |", "- >-", "key: |2  # comment": the lines after it, more indented, are its text.
bool opens_block_scalar(std::string_view content) {
    content = trim_end(content.substr(0, content.find(" #")));
    const size_t start = content.find_last_of(" \t") + 1;  // npos + 1 == 0: the whole content
    const std::string_view token = content.substr(start);
    if (token.empty() || (token.front() != '|' && token.front() != '>')) return false;
    return start == 0 || trim_end(content.substr(0, start)).ends_with(':');
}

size_t indentation(std::string_view line) { return std::min(line.find_first_not_of(' '), line.size()); }

class TrapFinder {
   public:
    explicit TrapFinder(std::string_view text) : text_(text), lines_(split_lines(text)) {}

    void visit(const YAML::Node &node, const std::string &path);
    std::vector<YamlTrap> traps;

   private:
    void check_scalar(const YAML::Node &node, const std::string &path);
    void check_quoted(std::string_view source, int line, const std::string &path);
    void check_plain(std::string_view source, std::string_view line, const YAML::Node &node, const std::string &path);
    int line_at(const char *position) const {
        return 1 + static_cast<int>(std::count(text_.data(), position, '\n'));
    }

    std::string_view text_;
    std::vector<std::string_view> lines_;
    std::vector<YAML::Node> ancestors_;  // of the node being visited: an alias may point back at one
};

void TrapFinder::visit(const YAML::Node &node, const std::string &path) {
    if (node.IsScalar()) return check_scalar(node, path);
    // `a: &x [*x]` holds itself: walked (or converted to JSON) it would never end.
    if (std::any_of(ancestors_.begin(), ancestors_.end(), [&](const YAML::Node &a) { return a.is(node); }))
        return traps.push_back({node.Mark().line + 1, path, "an alias refers to a list or mapping that holds it"});
    ancestors_.push_back(node);
    if (node.IsSequence())
        for (size_t i = 0; i < node.size(); ++i) visit(node[i], path + "[" + std::to_string(i) + "]");
    if (node.IsMap())
        for (const auto &kv : node) {
            const std::string key_path = path.empty() ? kv.first.Scalar() : path + "." + kv.first.Scalar();
            visit(kv.first, key_path);
            visit(kv.second, key_path);
        }
    ancestors_.pop_back();
}

void TrapFinder::check_scalar(const YAML::Node &node, const std::string &path) {
    const YAML::Mark mark = node.Mark();
    if (mark.line < 0 || static_cast<size_t>(mark.line) >= lines_.size()) return;
    const std::string_view line = lines_[static_cast<size_t>(mark.line)];
    if (mark.column < 0 || static_cast<size_t>(mark.column) > line.size()) return;
    const std::string_view source = past_properties(line.substr(static_cast<size_t>(mark.column)));
    if (source.empty()) return;  // the value starts on a later line than its anchor or tag
    if (source.front() == '|' || source.front() == '>') return;
    if (source.front() == '"' || source.front() == '\'') return check_quoted(source, mark.line + 1, path);
    check_plain(source, line, node, path);
}

void TrapFinder::check_quoted(std::string_view source, int line, const std::string &path) {
    if (quoted_length(source) != std::string_view::npos) return;
    const std::string_view rest = text_.substr(static_cast<size_t>(source.data() - text_.data()));
    const size_t length = quoted_length(rest);
    if (length == std::string_view::npos)
        traps.push_back({line, path, "the quoted value has no closing quote, so it swallowed every line after it"});
    else
        traps.push_back({line, path,
                         "the quoted value runs on to line " + std::to_string(line_at(rest.data() + length - 1)) +
                             "; close the quote on the line it opens, or " + std::string(kSeveralLinesHint)});
}

// A plain scalar has no escapes: on one line, its value is the start of its source.
void TrapFinder::check_plain(std::string_view source, std::string_view line, const YAML::Node &node,
                             const std::string &path) {
    const int line_number = node.Mark().line + 1;
    if (!source.starts_with(node.Scalar()))
        return traps.push_back({line_number, path,
                                "the value runs on to the next line, which became part of it (an indentation "
                                "slip?); keep it on one line, or " + std::string(kSeveralLinesHint)});
    // Only a value that opens its line: after "key: " text such as "a:b" is what was meant.
    const std::string_view key = unspaced_key(source);
    if (!key.empty() && line_content(line).data() == source.data())
        traps.push_back({line_number, path, unspaced_what(key) + " (quote it if it is meant as text)"});
}

std::vector<YamlTrap> find_yaml_traps(std::string_view text, const YAML::Node &root) {
    TrapFinder finder(without_bom(text));
    finder.visit(root, "");
    return std::move(finder.traps);
}

std::vector<YamlTrap> find_unspaced_keys(std::string_view text, int error_line) {
    const std::vector<std::string_view> lines = split_lines(without_bom(text));
    std::vector<YamlTrap> traps;
    std::optional<size_t> block_indent;  // set while inside a block scalar's text
    for (size_t i = 0; i < lines.size() && static_cast<int>(i) < error_line; ++i) {
        const std::string_view content = line_content(lines[i]);
        if (block_indent && (content.empty() || indentation(lines[i]) > *block_indent)) continue;
        block_indent.reset();
        if (content.starts_with('#')) continue;
        if (const std::string_view key = unspaced_key(content); !key.empty())
            traps.push_back({static_cast<int>(i) + 1, std::string(key), unspaced_what(key)});
        if (opens_block_scalar(content)) block_indent = indentation(lines[i]);
    }
    return traps;
}

std::string key_on_line(std::string_view text, int line) {
    const std::vector<std::string_view> lines = split_lines(without_bom(text));
    if (line < 1 || static_cast<size_t>(line) > lines.size()) return {};
    return std::string(key_before_colon(line_content(lines[static_cast<size_t>(line) - 1])));
}

}  // namespace

std::optional<YAML::Node> parse_strict_yaml(const std::string &text, const std::string &file,
                                            std::vector<std::string> &problems) {
    std::vector<YamlTrap> traps;
    std::optional<YAML::Node> root;
    std::string refusal;
    try {
        root = YAML::Load(text);
        traps = find_yaml_traps(text, *root);
    } catch (const YAML::Exception &e) {
        const int line = e.mark.line + 1;
        traps = find_unspaced_keys(text, line);
        const std::string key = key_on_line(text, line);
        refusal = file + ":" + std::to_string(line) + ": " + (key.empty() ? "" : key + ": ") + "invalid YAML (" +
                  e.msg + ")";
    }
    for (const YamlTrap &trap : traps)
        problems.push_back(file + ":" + std::to_string(trap.line) + ": " + trap.key + ": " + trap.what);
    if (!refusal.empty()) problems.push_back(refusal);
    return traps.empty() && refusal.empty() ? root : std::nullopt;
}

}  // namespace switchyard
