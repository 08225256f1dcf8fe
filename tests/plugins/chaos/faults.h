// The misbehaviours the chaos plugin exists for. Each one is what a faulty plugin really does to
// its process: nothing here is caught, reported or undone.
#pragma once

namespace chaos {

enum class Stage { transform, send };

enum class Fault {
    none,
    crash,       // SIGSEGV in transform
    abort,       // abort() in transform
    leak,        // 64 MiB kept for good in transform, then the event goes out as usual
    send_crash,  // SIGSEGV in send
    hang,        // send never returns
};

Stage stage_of(Fault fault);

// Does what `fault` names; returns only for Fault::none and Fault::leak.
void set_off(Fault fault);

}  // namespace chaos
