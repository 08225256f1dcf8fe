// Iterable's base URL per data center (see endpoints.h).
#include "endpoints.h"

#include <array>

namespace iterable {
namespace {

// rudder-transformer iterable/config.js BASE_URL; one row per data center.
constexpr std::array<DataCenterBase, 2> kBases = {{
    {DataCenter::kUS, "USDC", "https://api.iterable.com/api/"},
    {DataCenter::kEU, "EUDC", "https://api.eu.iterable.com/api/"},
}};

}  // namespace

std::span<const DataCenterBase> data_center_bases() { return kBases; }

std::string_view base_url_for(DataCenter data_center) {
    for (const DataCenterBase &row : kBases)
        if (row.data_center == data_center) return row.base_url;
    return kBases[0].base_url;
}

}  // namespace iterable
