// `switchyard-worker`: the child process a plugin runs in, so its crash, hang or leak is the
// child's, not the host's. Started only by the host (host/isolation/).
#include <iostream>
#include <vector>

#include "host/worker/modes.h"

int main(int argc, char **argv) {
    const std::vector<std::string_view> words(argv + 1, argv + argc);
    if (!words.empty() && words[0] == "--probe") return switchyard::worker::probe(std::span(words).subspan(1));
    if (!words.empty() && words[0] == "--serve") return switchyard::worker::serve(std::span(words).subspan(1));
    std::cerr << "switchyard-worker: runs plugins for the switchyard host, which starts it (--probe FILE [--named-as NAME] [--init] | --serve FILE)\n";
    return 2;
}
