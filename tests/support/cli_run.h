// Running a command line from a test, as an operator would: its exit code, and what it printed on
// stdout and stderr together.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace switchyard::testing {

struct CliRun {
    int exit_code;       // -1 when it did not exit normally
    std::string output;  // stdout and stderr together
};

inline CliRun run_command(const std::string &command_line) {
    FILE *pipe = ::popen((command_line + " 2>&1").c_str(), "r");
    std::string output;
    std::array<char, 4096> buffer{};
    while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace switchyard::testing
