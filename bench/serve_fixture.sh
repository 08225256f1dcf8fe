# Sourced by the macro benchmarks of `switchyard serve`: starts the mock Iterable and the host
# on ephemeral ports with a one-workspace config and a fresh data directory, all in a temp dir
# that an EXIT trap removes after stopping both processes.
#   start_mock [real-limits]        sets mock_url (http://127.0.0.1:P/api/); the mock answers 429 over
#                                   Iterable's per-endpoint limits only when asked
#   write_workspace ENDPOINT [RATE_LIMITS_JSON] [DELIVERY_YAML]
#   start_host                      sets host_pid, host_url (http://127.0.0.1:P); plugins from $plugin_dir
#                                   when set, else the build's
#   metric NAME [LABEL_MATCH]       prints the summed value of a /metrics series
#   host_hwm_kb                     the host's peak RSS (VmHWM) so far, in KB
#   cpu_seconds PID                 CPU time a process (and its plugin workers) has used so far
build=${BUILD_DIR:-build}
write_key=bench-write-key
for tool in switchyard mock-iterable bench/ingest_load; do
  [[ -x $build/$tool ]] || { echo "$build/$tool is missing: cmake -B $build -DSWITCHYARD_BENCH=ON && cmake --build $build" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-bench-XXXXXX")
mock_pid="" host_pid=""

stop_bench_processes() {
  if [[ -n $host_pid ]]; then
    kill -TERM "$host_pid" 2>/dev/null || true
    # SIGTERM drains in-flight deliveries; a closed-port destination may be mid-retry.
    for _ in $(seq 50); do kill -0 "$host_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$host_pid" 2>/dev/null || true
  fi
  [[ -z $mock_pid ]] || kill "$mock_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop_bench_processes EXIT

# Waits until FILE has a line matching PATTERN; fails with the file's content after 10 s.
wait_for_line() {
  local file=$1 pattern=$2
  for _ in $(seq 200); do
    grep -q "$pattern" "$file" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "timed out waiting for \"$pattern\" in $file:" >&2
  cat "$file" >&2
  return 1
}

start_mock() {
  local limits=--no-rate-limits
  [[ ${1:-} != real-limits ]] || limits=""
  "$build/mock-iterable" --port 0 $limits > "$work/mock.log" 2>&1 &
  mock_pid=$!
  wait_for_line "$work/mock.log" "listening on"
  mock_url=$(grep "listening on" "$work/mock.log" | awk '{print $NF}')
}

# One source (the write key above) connected to one Iterable destination "iterable".
write_workspace() {
  local endpoint=$1 rate_limits=${2:-} delivery=${3:-}
  mkdir -p "$work/config"
  {
    echo "workspace: bench"
    echo "sources:"
    echo "  - id: load"
    echo "    write_key: $write_key"
    echo "    destinations: [iterable]"
    echo "destinations:"
    echo "  - id: iterable"
    echo "    plugin: iterable"
    [[ -z ${ISOLATION:-} ]] || echo "    isolation: $ISOLATION"
    echo "    settings:"
    echo "      apiKey: test-api-key"
    echo "      endpoint: $endpoint"
    [[ -z $rate_limits ]] || echo "      rateLimits: $rate_limits"
    [[ -z $delivery ]] || printf '    delivery:\n%s\n' "$delivery"
  } > "$work/config/bench.yaml"
}

start_host() {
  "$build/switchyard" serve --config-dir "$work/config" --plugin-dir "${plugin_dir:-$build/plugins}" --data-dir "$work/data" \
    --listen 127.0.0.1:0 > "$work/host.log" 2>&1 &
  host_pid=$!
  wait_for_line "$work/host.log" 'msg="Listening on 127.0.0.1:'
  local port
  port=$(sed -n 's/.*msg="Listening on 127\.0\.0\.1:\([0-9]*\)\..*/\1/p' "$work/host.log" | head -1)
  host_url=http://127.0.0.1:$port
}

metric() {
  curl -sf "$host_url/metrics" | awk -v name="$1" -v match_="${2:-}" \
    '$1 == name || index($1, name "{") == 1 { if (match_ == "" || index($1, match_)) sum += $NF } END { printf "%.0f\n", sum }'
}

host_hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$host_pid/status"; }

# CPU seconds (user + system) a process and its live children (the host's plugin workers) have
# used so far; 0 when there is none.
cpu_seconds() {
  [[ -n ${1:-} && -r /proc/$1/stat ]] || { echo 0; return; }
  local pids=("$1") child
  for child in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do pids+=("$child"); done
  local stats=() pid
  for pid in "${pids[@]}"; do [[ -r /proc/$pid/stat ]] && stats+=("/proc/$pid/stat"); done
  awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); total += $12 + $13} END {print total / hz}' "${stats[@]}"
}
