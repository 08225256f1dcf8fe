// Delivering one request to Iterable: send it, grade the answer.
#pragma once

#include <memory>

#include "grading.h"
#include "switchyard/sdk/http_client.h"

namespace iterable {

std::unique_ptr<sy::SendOutput> deliver(const sy::sdk::HttpClient &client, const sy_request &request);

}  // namespace iterable
