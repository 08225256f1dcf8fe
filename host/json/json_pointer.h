// JSON pointers (RFC 6901) built token by token and split back, for naming a place in a settings
// object: by the schema checks (host/plugin) and by the YAML line map (host/config).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard {

// `pointer` with one more token, escaped ("~" → "~0", "/" → "~1").
inline std::string pointer_append(std::string pointer, std::string_view token) {
    pointer += '/';
    for (char c : token) {
        if (c == '~') pointer += "~0";
        else if (c == '/') pointer += "~1";
        else pointer += c;
    }
    return pointer;
}

// The unescaped tokens of `pointer`: "/a~1b/0" → {"a/b", "0"}.
inline std::vector<std::string> pointer_tokens(std::string_view pointer) {
    std::vector<std::string> tokens;
    while (!pointer.empty() && pointer.front() == '/') {
        pointer.remove_prefix(1);
        const size_t end = std::min(pointer.find('/'), pointer.size());
        std::string token;
        for (size_t i = 0; i < end; ++i) {
            if (pointer[i] == '~' && i + 1 < end) token += pointer[++i] == '1' ? '/' : '~';
            else token += pointer[i];
        }
        tokens.push_back(std::move(token));
        pointer.remove_prefix(end);
    }
    return tokens;
}

}  // namespace switchyard
