// Process metrics in the Prometheus text format: counters, gauges and latency histograms,
// each family declared once with its help text. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchyard {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Metrics {
   public:
    enum class Type { counter, gauge, histogram };

    // Declares a family; later calls for an undeclared name throw std::logic_error.
    void declare(std::string name, Type type, std::string help);

    void add(std::string_view name, const Labels &labels, double amount = 1);  // counter
    void set(std::string_view name, const Labels &labels, double value);       // gauge
    void observe(std::string_view name, const Labels &labels, double seconds);  // histogram
    // A counter kept elsewhere (the kernel's CPU time): its current total.
    void set_total(std::string_view name, const Labels &labels, double total);

    // Drops every series of a gauge family (before re-setting the current ones).
    void clear(std::string_view name);

    std::string render() const;

   private:
    struct Series {
        double value = 0;                 // counter, gauge; histogram sum
        uint64_t count = 0;               // histogram
        std::vector<uint64_t> buckets;    // histogram, cumulative at render
    };
    struct Family {
        Type type;
        std::string help;
        std::map<Labels, Series> series;
    };
    Family &family(std::string_view name, Type expected);

    mutable std::mutex mutex_;
    std::map<std::string, Family, std::less<>> families_;
};

// Bucket upper bounds of every histogram, in seconds.
inline constexpr double kLatencyBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

}  // namespace switchyard
