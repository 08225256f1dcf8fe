#!/usr/bin/env bash
# README's one command: install what building and running need, build the host, its plugins and
# the mock Iterable, then run the main job. The host serves the example workspace in config/ and
# delivers to the mock Iterable, the LOCAL STAND-IN for api.iterable.com, on loopback; sample
# events go in through the ingestion API, and the demo waits until the mock has every one of them.
# Exits 0 when all arrived, 1 with a sentence otherwise; stops every process it started.
#   HOST_PORT (default 8080) and MOCK_PORT (default 8090) move them off busy ports (0: any free one);
#   DEMO_DEADLINE (default 30) is how many seconds delivery may take;
#   BUILD_DIR (default build) is where the binaries are;
#   --no-setup skips installing and building (the test suite runs the demo that way).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ "${1:-}" == "--no-setup" ]] || bash scripts/setup.sh

build=${BUILD_DIR:-build}
work=$(mktemp -d)
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if ((status != 0)); then
    echo "demo: failed; the last lines of each log:" >&2
    for log in "$work"/*.log; do echo "-- $log" >&2; tail -n 20 "$log" >&2; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "demo: $*" >&2; exit 1; }
announced_port() {  # LOG: the port a process announced in its log once listening, within 10 s
  for _ in $(seq 100); do
    local port
    port=$(sed -nE 's/.*[Ll]istening on .*:([0-9]+)\b.*/\1/p' "$1" | head -n 1)
    [[ -n "$port" ]] && echo "$port" && return 0
    sleep 0.1
  done
  fail "$(basename "$1" .log) did not start listening within 10 s"
}

"$build/mock-iterable" --port "${MOCK_PORT:-8090}" --api-key demo-iterable-key >"$work/mock.log" 2>&1 &
pids+=($!)
mock="http://127.0.0.1:$(announced_port "$work/mock.log")"
echo
echo "== mock Iterable (local stand-in for https://api.iterable.com) on $mock"

# The secrets config/acme.yaml reads from the environment. For the real Iterable: a real API
# key here, and delete the `endpoint:` line in config/acme.yaml.
export ACME_WEBSITE_WRITE_KEY=demo-write-key
export ACME_ITERABLE_API_KEY=demo-iterable-key
export ITERABLE_ENDPOINT="$mock/api/"
"$build/switchyard" serve --config-dir config --plugin-dir "$build/plugins" --data-dir "$work/var" \
  --listen "127.0.0.1:${HOST_PORT:-8080}" >"$work/host.log" 2>&1 &
pids+=($!)
host="http://127.0.0.1:$(announced_port "$work/host.log")"
for _ in $(seq 100); do curl -sf -o /dev/null "$host/readyz" && break; sleep 0.1; done
curl -sf -o /dev/null "$host/readyz" || fail "the host at $host did not become ready within 10 s"
echo "== switchyard serve on $host (workspace config/acme.yaml, store in $work/var)"

delivered=0
python3 scripts/demo_client.py "$host" "$mock" "$ACME_WEBSITE_WRITE_KEY" --deadline "${DEMO_DEADLINE:-30}" ||
  delivered=$?
if ((delivered != 0)); then
  echo "== dead letters (events the destination refused)"
  "$build/switchyard" dead-letter list --data-dir "$work/var" | sed 's/^/  /'
  fail "not every event was delivered (above)"
fi

echo "== the host's counters"
curl -s "$host/metrics" | grep -E '^switchyard_(events_(received|delivered|dead_lettered)_total|queue_depth)' |
  sed 's/^/  /' || true
echo
echo "Done. The host and the mock stop now; run them yourself with the commands in README.md."
