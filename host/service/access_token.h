// Bearer tokens that guard /admin/* and /metrics: taken from a flag or a file, checked in
// constant time. A token is a secret: it is never quoted in an error.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchyard {

// Tokens shorter than this are refused: they could be guessed, and log redaction skips short values.
inline constexpr size_t kMinTokenLength = 16;

// The token given as `--<flag> TOKEN` or in `--<flag>-file FILE` (trailing whitespace dropped);
// empty when neither is given. Throws std::invalid_argument with one sentence when both are
// given, the file cannot be read, or the token is shorter than kMinTokenLength or holds
// characters other than printable ASCII without spaces.
std::string load_access_token(std::string_view flag, const std::optional<std::string> &value,
                              const std::optional<std::string> &file);

// Whether an Authorization header value is "Bearer <token>", compared in constant time.
bool presents_bearer_token(std::string_view authorization, std::string_view token);

}  // namespace switchyard
