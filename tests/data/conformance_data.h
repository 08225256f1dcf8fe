// Where the tests find the conformance vectors, and reading one with a sentence that names it
// when it is missing. Each user compiles SWITCHYARD_CONFORMANCE_DIR in (tests/data/conformance);
// the environment variable of that name overrides it (the missing-data test points it at an
// empty directory).
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace conformance_data {

// `relative` is under the conformance directory, e.g. "iterable/processor.json".
inline std::string path_of(std::string_view relative) {
    const char *overridden = std::getenv("SWITCHYARD_CONFORMANCE_DIR");
    const std::string dir = overridden != nullptr && *overridden != '\0' ? overridden : SWITCHYARD_CONFORMANCE_DIR;
    return dir + "/" + std::string(relative);
}

// The file's bytes; throws std::runtime_error("conformance data missing: tests/data/conformance/
// <relative> (cannot read <path>)") when it cannot be read.
inline std::string read(std::string_view relative) {
    const std::string path = path_of(relative);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("conformance data missing: tests/data/conformance/" + std::string(relative) +
                                 " (cannot read " + path + ")");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace conformance_data
