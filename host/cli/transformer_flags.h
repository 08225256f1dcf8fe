// `switchyard transformer`'s flags: the `switchyard` command hands them to the
// `switchyard-transformer` executable, which serves (cmd_transformer.cpp, transformer_main.cpp).
#pragma once

#include <string_view>

#include "host/cli/command.h"

namespace switchyard::cli {

inline constexpr std::string_view kTransformerSummary =
    "Serve rudder-transformer's HTTP API with the plugins, for rudder-server's DEST_TRANSFORM_URL.";

// rudder-transformer's own default port, so that rudder-server's DEST_TRANSFORM_URL changes host only.
inline constexpr std::string_view kDefaultTransformerListen = "127.0.0.1:9090";
// rudder-transformer accepts JSON bodies up to 200 MB (its koa-bodyparser jsonLimit): router
// batches of large events reach tens of MB.
inline constexpr std::string_view kDefaultTransformerMaxBody = "209715200";
inline constexpr std::string_view kDefaultTransformerMaxConnections = "256";

inline constexpr Flag kTransformerFlags[] = {
    {"listen", "HOST:PORT", "where rudder-server reaches it (its DEST_TRANSFORM_URL); port 0 picks one",
     kDefaultTransformerListen},
    kPluginDirFlag,
    {"max-body-bytes", "N", "largest accepted request body; larger gets 413", kDefaultTransformerMaxBody},
    {"max-connections", "N", "connections open at once; one more is answered 503", kDefaultTransformerMaxConnections},
};

}  // namespace switchyard::cli
