// Process metrics: the /proc parsers on fixed text, and the families on /metrics.
#include <gtest/gtest.h>

#include "host/metrics/process_metrics.h"

namespace switchyard {
namespace {

// A real line, with a command name holding a space and a parenthesis.
constexpr std::string_view kStat =
    "4242 (swi tch) yard) S 1 4242 4242 0 -1 4194560 2180 0 0 0 137 42 0 0 20 0 9 0 123456 "
    "912347136 5120 18446744073709551615 1 1 0 0 0 0 0 4096 16386 0 0 0 17 1 0 0 0 0 0\n";

TEST(ProcessMetrics, ParsesCpuTicksStartAndResidentPages) {
    const auto stat = parse_proc_stat(kStat);
    ASSERT_TRUE(stat);
    EXPECT_EQ(stat->user_ticks, 137u);
    EXPECT_EQ(stat->system_ticks, 42u);
    EXPECT_EQ(stat->start_ticks, 123456u);
    EXPECT_EQ(stat->resident_pages, 5120u);
}

TEST(ProcessMetrics, RefusesTruncatedOrGarbledStat) {
    EXPECT_FALSE(parse_proc_stat("4242 (x) S 1 2 3"));
    EXPECT_FALSE(parse_proc_stat("no parenthesis at all"));
    EXPECT_FALSE(parse_proc_stat(std::string(kStat).replace(std::string(kStat).find("137"), 3, "1x7")));
}

TEST(ProcessMetrics, ParsesBootTime) {
    EXPECT_EQ(parse_boot_time("cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n"), 1'700'000'000u);
    EXPECT_FALSE(parse_boot_time("cpu  1 2 3\n"));
}

TEST(ProcessMetrics, ParsesTheSoftLimitOfOpenFiles) {
    constexpr std::string_view kLimits =
        "Limit                     Soft Limit           Hard Limit           Units     \n"
        "Max processes             63429                63429                processes \n"
        "Max open files            1024                 1048576              files     \n"
        "Max locked memory         8388608              8388608              bytes     \n";
    EXPECT_EQ(parse_max_open_files(kLimits), 1024u);
    EXPECT_FALSE(parse_max_open_files("Max open files            unlimited            unlimited            files\n"));
    EXPECT_FALSE(parse_max_open_files(""));
}

TEST(ProcessMetrics, ThisProcessShowsEveryFamily) {
    Metrics metrics;
    declare_process_metrics(metrics);
    update_process_metrics(metrics);
    const std::string text = metrics.render();
    for (const char *sample : {"\nprocess_resident_memory_bytes ", "\nprocess_cpu_seconds_total ", "\nprocess_open_fds ",
                               "\nprocess_max_fds ", "\nprocess_start_time_seconds "})
        EXPECT_NE(text.find(sample), std::string::npos) << sample << "\n" << text;
    EXPECT_NE(text.find("# TYPE process_cpu_seconds_total counter\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace switchyard
