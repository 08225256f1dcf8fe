// Status → outcome (see grading.h).
#include "switchyard/sdk/grading.h"

namespace sy::sdk {

sy_outcome outcome_of_status(long http_status) {
    if (http_status >= 200 && http_status < 300) return SY_OK;
    if (http_status == 429) return SY_THROTTLED;
    if (http_status >= 500 || http_status == 0) return SY_RETRY;
    return SY_ABORT;
}

void grade_status(const HttpAnswer &answer, SendOutput &out) {
    out.http_status = static_cast<uint32_t>(answer.status);
    out.outcome = outcome_of_status(answer.status);
    out.retry_after_ms = out.outcome == SY_OK ? 0 : answer.retry_after_ms.value_or(0);
}

}  // namespace sy::sdk
