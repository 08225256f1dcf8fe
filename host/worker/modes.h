// The plugin worker's two ways of running; the host starts it with one of them (host/isolation/).
#pragma once

#include <span>
#include <string_view>

namespace switchyard::worker {

// `switchyard-worker --probe FILE [--named-as NAME] [--init]`: loads FILE as the host would, says
// whether it loaded (and, with --init, what init says to each settings document on stdin), exits.
int probe(std::span<const std::string_view> arguments);
// `switchyard-worker --serve FILE`: loads FILE and serves the host's calls on descriptor 3.
int serve(std::span<const std::string_view> arguments);

}  // namespace switchyard::worker
