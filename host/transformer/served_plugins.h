// The plugins a transformer serves, found by the destination name rudder-server uses in its
// paths ("iterable") and destType fields ("ITERABLE"): the plugin's name, any case.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include <strings.h>

#include "host/plugin/plugin_library.h"

namespace switchyard::transformer {

class ServedPlugins {
   public:
    explicit ServedPlugins(std::vector<std::shared_ptr<const PluginLibrary>> plugins) : plugins_(std::move(plugins)) {}

    // Null when no plugin has that name.
    std::shared_ptr<const PluginLibrary> find(std::string_view name) const {
        for (const auto &plugin : plugins_)
            if (plugin->name().size() == name.size() && strncasecmp(plugin->name().data(), name.data(), name.size()) == 0)
                return plugin;
        return nullptr;
    }
    const std::vector<std::shared_ptr<const PluginLibrary>> &all() const { return plugins_; }

   private:
    std::vector<std::shared_ptr<const PluginLibrary>> plugins_;
};

}  // namespace switchyard::transformer
