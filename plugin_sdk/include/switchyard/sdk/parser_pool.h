// simdjson parsers reused across transform calls, owned by the plugin instance. Not
// thread_local: a thread-local object with a destructor would pin the plugin library in memory
// until every host thread that ever called transform exits, so a reloaded plugin could never be
// unloaded.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include <simdjson.h>

namespace sy::sdk {

class ParserPool {
   public:
    // A parser for the caller's exclusive use, returned to the pool when the lease ends.
    class Lease {
       public:
        Lease(ParserPool &pool, std::unique_ptr<simdjson::dom::parser> parser)
            : pool_(pool), parser_(std::move(parser)) {}
        ~Lease() { pool_.put_back(std::move(parser_)); }
        Lease(const Lease &) = delete;
        Lease &operator=(const Lease &) = delete;
        simdjson::dom::parser &operator*() const { return *parser_; }

       private:
        ParserPool &pool_;
        std::unique_ptr<simdjson::dom::parser> parser_;
    };

    Lease borrow() {
        std::lock_guard lock(mutex_);
        if (idle_.empty()) return Lease(*this, std::make_unique<simdjson::dom::parser>());
        auto parser = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(parser));
    }

   private:
    void put_back(std::unique_ptr<simdjson::dom::parser> parser) {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(parser));
    }

    std::mutex mutex_;
    std::vector<std::unique_ptr<simdjson::dom::parser>> idle_;  // as many as transforms ever ran at once
};

}  // namespace sy::sdk
