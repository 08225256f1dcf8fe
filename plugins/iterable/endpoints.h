// Where requests go: Iterable's base URL per data center, and the rules for an operator's
// base-URL override (https anywhere, plain http only on loopback).
#pragma once

#include <span>
#include <string>
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

// Checks an operator's base URL; returns "" when acceptable, else the reason (no sentence
// framing, e.g. "plain http is accepted only for loopback hosts").
std::string endpoint_problem(std::string_view url);

// True when the host of an http(s) URL is 127.0.0.0/8, localhost or [::1].
bool is_loopback_url(std::string_view url);

}  // namespace iterable
