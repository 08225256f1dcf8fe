// Sending one chaos request: the send faults its events name (faults.h), then the POST, graded
// 2xx ok, 429 throttled, 5xx and no answer retry, other 4xx abort.
#pragma once

#include <memory>

#include "settings.h"
#include "switchyard/plugin.h"
#include "switchyard/plugin.hpp"
#include "switchyard/sdk/http_client.h"

namespace chaos {

// The faults are looked up in the settings of the instance sending, not of the one that built
// the request: a request stored before a reload meets the settings in force now.
std::unique_ptr<sy::SendOutput> deliver(const sy::sdk::HttpClient &http, const Settings &settings,
                                        const sy_request &request);

}  // namespace chaos
