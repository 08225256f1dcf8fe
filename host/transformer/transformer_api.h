// rudder-transformer's HTTP API over the loaded plugins, so that rudder-server can use Switchyard
// as its destination transformer (DEST_TRANSFORM_URL): POST /v0/destinations/NAME,
// POST /routerTransform, POST /v1/destinations/NAME/proxy (endpoints.h), GET /features,
// GET /health. Which endpoint a request is for and how it runs; the HTTP server is http_server.h.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host/transformer/destination_cache.h"
#include "host/transformer/endpoints.h"
#include "host/transformer/served_plugins.h"
#include "host/transformer/workspace_pool.h"

namespace switchyard::transformer {

struct Endpoint {
    // A transform is CPU work on a workspace of the pool; the proxy waits for the destination's
    // network, so it runs where it cannot hold up transforms; the rest answer without a body.
    enum class Runs { transform, proxy, at_once };
    Runs runs = Runs::at_once;
    std::function<Answer(Workspace &request)> answer;  // the request's body is in `request.body`
};

class TransformerApi {
   public:
    explicit TransformerApi(std::vector<std::shared_ptr<const PluginLibrary>> plugins);

    // The endpoint for `method` and `path` (the target without its query), or nullopt: 404.
    // The answer functions are safe to call from many threads at once; this object must outlive them.
    std::optional<Endpoint> find(std::string_view method, std::string_view path);

    // GET /features: what rudder-server reads at start: every served destination supports the
    // router transform and the v1 proxy; those with a user-deletion hook, regulations.
    std::string features() const;

   private:
    ServedPlugins plugins_;
    DestinationCache cache_;
};

}  // namespace switchyard::transformer
