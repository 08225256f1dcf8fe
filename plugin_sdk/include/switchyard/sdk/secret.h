// A credential setting: printing or logging it shows a placeholder, never the value.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace sy::sdk {

class Secret {
   public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}
    const std::string &reveal() const { return value_; }
    bool empty() const { return value_.empty(); }
    static constexpr std::string_view kRedacted = "[redacted]";

   private:
    std::string value_;
};

// Printing a secret (logs, test failures) shows "[redacted]".
inline std::ostream &operator<<(std::ostream &out, const Secret &) { return out << Secret::kRedacted; }

}  // namespace sy::sdk
