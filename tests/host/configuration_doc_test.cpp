// docs/configuration.md cannot drift: every key the workspace loader accepts and every flag of
// `switchyard serve` must be documented there.
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "host/config/workspace.h"

namespace switchyard {
namespace {

std::string read_doc() {
    std::ifstream in(CONFIGURATION_DOC);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The flags `switchyard serve --help` lists, as "--name".
std::vector<std::string> serve_flags() {
    FILE *pipe = ::popen(SWITCHYARD_BIN " serve --help", "r");
    std::string help;
    std::array<char, 4096> buffer{};
    while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) help.append(buffer.data(), n);
    ::pclose(pipe);
    std::vector<std::string> flags;
    std::istringstream lines(help);
    for (std::string line; std::getline(lines, line);)
        if (line.starts_with("  --") && !line.starts_with("  --help")) flags.push_back(line.substr(2, line.find(' ', 2) - 2));
    return flags;
}

TEST(ConfigurationDoc, DocumentsEveryWorkspaceKey) {
    const std::string doc = read_doc();
    ASSERT_FALSE(doc.empty()) << "cannot read " CONFIGURATION_DOC;
    const std::vector<std::string> keys = accepted_key_paths();
    EXPECT_GE(keys.size(), 15u);
    for (const std::string &key : keys)
        EXPECT_NE(doc.find("| `" + key + "` |"), std::string::npos)
            << "the workspace key \"" << key << "\" has no row in " CONFIGURATION_DOC;
}

TEST(ConfigurationDoc, DocumentsEveryServeFlag) {
    const std::string doc = read_doc();
    ASSERT_FALSE(doc.empty()) << "cannot read " CONFIGURATION_DOC;
    const std::vector<std::string> flags = serve_flags();
    EXPECT_GE(flags.size(), 10u) << "could not read the flags of `switchyard serve --help`";
    for (const std::string &flag : flags)
        EXPECT_NE(doc.find("| `" + flag), std::string::npos)
            << "the serve flag \"" << flag << "\" has no row in " CONFIGURATION_DOC;
}

}  // namespace
}  // namespace switchyard
