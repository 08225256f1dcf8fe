// Many threads, one start signal: the calls overlap inside the plugin instead of running in turn,
// and every result stays alive until all threads are done, as results waiting to be sent do.
#include "host/plugin_check/parallel_transform.h"

#include <latch>
#include <thread>

#include "host/plugin_check/result_text.h"

namespace switchyard::plugin_check {

std::vector<std::string> transform_in_parallel(const Destination &destination, std::span<const sy_str_view> events,
                                               uint32_t max_events, size_t rounds,
                                               const std::function<void(const TransformResult &)> &inspect) {
    std::vector<std::vector<std::string>> texts(kThreads);
    std::latch start(kThreads), done(kThreads);
    {
        std::vector<std::jthread> threads;
        for (size_t t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                std::vector<TransformResult> held;
                start.arrive_and_wait();
                for (size_t round = 0; round < rounds; ++round) {
                    held.push_back(destination.transform(events, max_events));
                    if (inspect) inspect(held.back());
                    texts[t].push_back(result_text(held.back()));
                }
                done.arrive_and_wait();
            });  // `held` is released here, by each thread
    }  // joined
    std::vector<std::string> all;
    for (auto &thread_texts : texts)
        for (auto &text : thread_texts) all.push_back(std::move(text));
    return all;
}

}  // namespace switchyard::plugin_check
