// The suppression list (see suppression_list.h).
#include "host/regulation/suppression_list.h"

namespace switchyard::regulation {

void SuppressionList::replace(const std::vector<Regulation> &regulations) {
    auto next = std::make_shared<Snapshot>();
    for (const Regulation &r : regulations)
        if (suppresses(r.type)) next->regulations.push_back(r);
    for (const Regulation &r : next->regulations)  // pointers only once the vector is complete
        for (const User &user : r.users) next->by_user[user.user_id].push_back(&r);
    std::lock_guard lock(mutex_);
    current_ = std::move(next);
}

std::shared_ptr<const SuppressionList::Snapshot> SuppressionList::current() const {
    std::lock_guard lock(mutex_);
    return current_;
}

bool SuppressionList::suppressed(std::string_view user_id, std::string_view key) const {
    if (user_id.empty()) return false;
    const std::shared_ptr<const Snapshot> snapshot = current();
    if (snapshot->by_user.empty()) return false;
    auto it = snapshot->by_user.find(std::string(user_id));
    if (it == snapshot->by_user.end()) return false;
    for (const Regulation *r : it->second)
        if (r->names(key)) return true;
    return false;
}

size_t SuppressionList::users() const { return current()->by_user.size(); }

}  // namespace switchyard::regulation
