// The standard Prometheus process metrics (process_resident_memory_bytes, process_cpu_seconds_total,
// process_open_fds, process_max_fds, process_start_time_seconds), read from /proc at scrape time.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "host/metrics/metrics.h"

namespace switchyard {

// The fields of /proc/self/stat these metrics need, in the kernel's units.
struct ProcStat {
    uint64_t user_ticks = 0;    // utime
    uint64_t system_ticks = 0;  // stime
    uint64_t start_ticks = 0;   // starttime, since boot
    uint64_t resident_pages = 0;
};

// Parses /proc/<pid>/stat; the command name may hold spaces and parentheses.
std::optional<ProcStat> parse_proc_stat(std::string_view text);
// The "btime" line of /proc/stat: boot time in Unix seconds.
std::optional<uint64_t> parse_boot_time(std::string_view text);
// The soft limit of "Max open files" in /proc/<pid>/limits ("unlimited" reads as nullopt).
std::optional<uint64_t> parse_max_open_files(std::string_view text);

void declare_process_metrics(Metrics &metrics);
// Sets each metric that could be read; one that cannot (no /proc) is left out.
void update_process_metrics(Metrics &metrics);

}  // namespace switchyard
