// Reading an ingest request body with its size bounded after decompression.
#pragma once

#include <string>

namespace httplib {
struct Request;
struct Response;
class ContentReader;
}  // namespace httplib

namespace switchyard::ingest {

struct BodyRead {
    int status = 200;   // 200, or 400 / 413 / 415 with `error`
    std::string error;  // one sentence
};

// Checks the content headers, then reads the body into `body`, decompressed (gzip, deflate
// or br, undone by cpp-httplib chunk by chunk), stopping as soon as it would pass
// `max_body_bytes`, so a gzip bomb costs at most that much memory.
BodyRead read_body(const httplib::Request &request, const httplib::Response &response,
                   const httplib::ContentReader &reader, size_t max_body_bytes, std::string &body);

}  // namespace switchyard::ingest
