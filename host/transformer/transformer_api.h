// rudder-transformer's HTTP API over the loaded plugins, so that rudder-server can use Switchyard
// as its destination transformer (DEST_TRANSFORM_URL): POST /v0/destinations/NAME,
// POST /routerTransform, POST /v1/destinations/NAME/proxy (endpoints.h), GET /features,
// GET /health. Handlers run on the server's connection threads, in parallel; the transforms, one
// per worker at a time (transform_workers.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/transformer/destination_cache.h"
#include "host/transformer/served_plugins.h"
#include "host/transformer/transform_workers.h"

namespace httplib {
class Server;
}

namespace switchyard::transformer {

class TransformerApi {
   public:
    // `workers`: transform calls run at once (by default one per usable core).
    explicit TransformerApi(std::vector<std::shared_ptr<const PluginLibrary>> plugins, size_t workers = usable_cores());

    // Adds the routes to `server`; this object must outlive its serving.
    void install(httplib::Server &server);

    // GET /features: what rudder-server reads at start: every served destination supports the
    // router transform and the v1 proxy; those with a user-deletion hook, regulations.
    std::string features() const;

   private:
    ServedPlugins plugins_;
    DestinationCache cache_;
    TransformWorkers workers_;
};

}  // namespace switchyard::transformer
