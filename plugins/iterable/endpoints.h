// Where requests go: Iterable's base URL per data center (an operator's `endpoint` override
// follows the SDK's url_rules.h).
#pragma once

#include <span>
#include <string_view>

#include "settings.h"

namespace iterable {

struct DataCenterBase {
    DataCenter data_center;
    std::string_view setting_value;  // as written in settings: "USDC", "EUDC"
    std::string_view base_url;       // ends in "/api/"
};

std::span<const DataCenterBase> data_center_bases();
std::string_view base_url_for(DataCenter data_center);

}  // namespace iterable
