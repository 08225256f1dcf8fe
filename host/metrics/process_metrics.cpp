// Process metrics from /proc/self, named and typed as every Prometheus client library does.
#include "host/metrics/process_metrics.h"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace switchyard {
namespace {

std::optional<uint64_t> number(std::string_view text) {
    uint64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return n;
}

std::vector<std::string_view> words(std::string_view text) {
    std::vector<std::string_view> out;
    for (size_t at = text.find_first_not_of(" \t"); at != std::string_view::npos;) {
        const size_t end = std::min(text.find_first_of(" \t\n", at), text.size());
        out.push_back(text.substr(at, end - at));
        at = text.find_first_not_of(" \t\n", end);
    }
    return out;
}

std::string read_file(const char *path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Field N of /proc/<pid>/stat (1-based, as in proc(5)) among the words after the command name,
// which start at field 3.
std::optional<uint64_t> stat_field(const std::vector<std::string_view> &after_name, size_t field) {
    return field - 3 < after_name.size() ? number(after_name[field - 3]) : std::nullopt;
}

size_t open_fds() {
    std::error_code ec;
    size_t count = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++count;
    return count > 0 ? count - 1 : 0;  // not the descriptor that reads the directory
}

}  // namespace

std::optional<ProcStat> parse_proc_stat(std::string_view text) {
    const size_t name_end = text.rfind(')');
    if (name_end == std::string_view::npos) return std::nullopt;
    const std::vector<std::string_view> fields = words(text.substr(name_end + 1));
    const auto user = stat_field(fields, 14), system = stat_field(fields, 15), start = stat_field(fields, 22),
               rss = stat_field(fields, 24);
    if (!user || !system || !start || !rss) return std::nullopt;
    return ProcStat{*user, *system, *start, *rss};
}

std::optional<uint64_t> parse_boot_time(std::string_view text) {
    for (size_t at = 0; at < text.size();) {
        const size_t end = std::min(text.find('\n', at), text.size());
        const std::vector<std::string_view> line = words(text.substr(at, end - at));
        if (line.size() == 2 && line[0] == "btime") return number(line[1]);
        at = end + 1;
    }
    return std::nullopt;
}

std::optional<uint64_t> parse_max_open_files(std::string_view text) {
    constexpr std::string_view kLine = "Max open files";
    const size_t at = text.find(kLine);
    if (at == std::string_view::npos) return std::nullopt;
    const std::vector<std::string_view> limits = words(text.substr(at + kLine.size(), text.find('\n', at) - at - kLine.size()));
    return limits.empty() ? std::nullopt : number(limits[0]);
}

void declare_process_metrics(Metrics &metrics) {
    using T = Metrics::Type;
    metrics.declare("process_resident_memory_bytes", T::gauge, "Resident memory size in bytes.");
    metrics.declare("process_cpu_seconds_total", T::counter, "Total user and system CPU time spent in seconds.");
    metrics.declare("process_open_fds", T::gauge, "Number of open file descriptors.");
    metrics.declare("process_max_fds", T::gauge, "Maximum number of open file descriptors.");
    metrics.declare("process_start_time_seconds", T::gauge, "Start time of the process since unix epoch in seconds.");
}

void update_process_metrics(Metrics &metrics) {
    const auto ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
    metrics.set("process_open_fds", {}, static_cast<double>(open_fds()));
    if (const auto max = parse_max_open_files(read_file("/proc/self/limits"))) metrics.set("process_max_fds", {}, static_cast<double>(*max));
    const auto stat = parse_proc_stat(read_file("/proc/self/stat"));
    if (!stat) return;
    metrics.set("process_resident_memory_bytes", {}, static_cast<double>(stat->resident_pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE))));
    metrics.set_total("process_cpu_seconds_total", {}, static_cast<double>(stat->user_ticks + stat->system_ticks) / ticks_per_second);
    if (const auto boot = parse_boot_time(read_file("/proc/stat")))
        metrics.set("process_start_time_seconds", {}, static_cast<double>(*boot) + static_cast<double>(stat->start_ticks) / ticks_per_second);
}

}  // namespace switchyard
