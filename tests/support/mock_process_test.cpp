// The `mock-iterable` executable as scripts use it: announces its URL, serves, and on SIGTERM
// stops cleanly and dumps the recorded state (without the API key).
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string_view>
#include <system_error>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

struct Process {
    pid_t pid = -1;
    FILE *out = nullptr;  // the child's stdout
};

Process spawn(const std::vector<std::string> &args) {
    int fds[2];
    if (pipe(fds) != 0) return {};
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        std::vector<char *> argv;
        for (const std::string &a : args) argv.push_back(const_cast<char *>(a.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(fds[1]);
    return {pid, fdopen(fds[0], "r")};
}

TEST(MockIterableProcess, ServesUntilSigtermThenDumpsState) {
    const std::string dump = ::testing::TempDir() + "mock-iterable-dump.json";
    Process p = spawn({MOCK_ITERABLE_BIN, "--port", "0", "--api-key", "process-key", "--dump", dump});
    ASSERT_GT(p.pid, 0);
    char line[256] = {};
    ASSERT_NE(fgets(line, sizeof line, p.out), nullptr);
    constexpr std::string_view kPrefix = "mock-iterable listening on http://127.0.0.1:";
    const std::string_view announced(line);
    ASSERT_TRUE(announced.starts_with(kPrefix)) << line;
    int port = 0;
    const auto [end, ec] = std::from_chars(announced.data() + kPrefix.size(), announced.data() + announced.size(), port);
    ASSERT_EQ(ec, std::errc{}) << line;
    ASSERT_TRUE(std::string_view(end, announced.data() + announced.size()).starts_with("/api/")) << line;

    httplib::Client client("127.0.0.1", port);
    auto r = client.Post("/api/users/update", {{"Api-Key", "process-key"}}, R"({"email":"p@x.io"})", "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);

    kill(p.pid, SIGTERM);
    int status = 0;
    ASSERT_EQ(waitpid(p.pid, &status, 0), p.pid);
    fclose(p.out);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    std::stringstream text;
    text << std::ifstream(dump).rdbuf();
    const nlohmann::json state = nlohmann::json::parse(text.str());
    EXPECT_TRUE(state["users"].contains("p@x.io"));
    EXPECT_EQ(text.str().find("process-key"), std::string::npos);
}

}  // namespace
