#!/usr/bin/env bash
# Scale-out on one machine: durable ingest and end-to-end throughput of 1, 2 and 3 `switchyard
# serve` hosts on one PostgreSQL, beside one host on SQLite, with what each costs PostgreSQL
# (commits and statements per event). Starts its own PostgreSQL (tests/support/postgres.sh, with
# pg_stat_statements loaded), the mock Iterable (no rate limits) and the hosts on loopback.
# Each run has a fresh database (or data directory) and fresh hosts; the hosts share one workspace.
#   ingest  the destination points at a closed port with a 1 h backoff: nothing is delivered, every
#           200 means a commit; EVENTS are sent by one `ingest_load` per host (CONNECTIONS split
#           between them, at least one each), events/s = EVENTS / the slowest one's time
#   e2e     the destination delivers to the mock, unpaced; events/s = EVENTS / the time from the
#           start of ingestion until the hosts together have delivered them all
# Usage: bench/scale_out.sh [EVENTS] [BATCH] [CONNECTIONS] [HOST_COUNTS]   (defaults 100000 100 8 "1 2 3";
#   HOST_COUNTS "" measures SQLite alone)
#   TOP_STATEMENTS=N  after each PostgreSQL run, its database's N most frequent statements (on stderr)
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-100000} batch=${2:-100} connections=${3:-8} host_counts=${4-1 2 3}
source bench/serve_fixture.sh
source bench/machine_load.sh

unlimited='{"events/track":1000000,"events/trackBulk":1000000,"users/update":1000000,"users/bulkUpdate":1000000}'
# Beside $work, which is closed to the "postgres" user that owns the cluster when run as root.
pg=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-bench-postgres-XXXXXX")
cluster_pids=()

stop_cluster() {
  local pid
  for pid in "${cluster_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${cluster_pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  cluster_pids=()
}
trap 'stop_cluster; bash tests/support/postgres.sh stop "$pg" >/dev/null; rm -rf "$pg"; stop_bench_processes' EXIT

as_postgres_owner() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# The server, restarted once with pg_stat_statements loaded (its statement counts stand for round trips).
start_postgres() {
  bash tests/support/postgres.sh start "$pg" >&2
  [[ ! -f $pg/unavailable ]] || { echo "no PostgreSQL: $(cat "$pg/unavailable")" >&2; exit 2; }
  server_url=$(cat "$pg/url")
  psql -qAt "$server_url" -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'" >/dev/null
  local pg_ctl
  pg_ctl=$(command -v pg_ctl || printf '%s\n' /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)
  as_postgres_owner "$pg_ctl" --pgdata="$pg/data" --log="$pg/server.log" --wait --mode=fast restart >/dev/null
  postmaster_pid=$(head -1 "$pg/data/postmaster.pid")
  psql -qAt "$server_url" -c "CREATE EXTENSION pg_stat_statements" >/dev/null
}

# Creates database NAME; prints its URL.
create_database() {
  psql -qAt "$server_url" -c "CREATE DATABASE $1" >/dev/null
  echo "${server_url%/postgres}/$1"
}

# "commits statements" so far: write transactions server-wide (each a durable commit, a WAL
# flush; the next transaction id moves only for them, at once, where pg_stat_database's
# xact_commit also counts read-only ones and reaches it only when a busy backend flushes its
# statistics, up to 10 s late) and the statements database NAME has run (pg_stat_statements,
# counted as they end).
pg_counters() {
  psql -qAt -F ' ' "$server_url" -c "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint,
    (SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$1')"
}

# The N most frequent statements of database NAME since it was made: calls and the statement's start.
top_statements() {
  psql -qAt -F ' ' "$server_url" -c "SELECT calls, left(regexp_replace(query, '\s+', ' ', 'g'), 100)
    FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$1' ORDER BY calls DESC LIMIT $2"
}

# Starts COUNT hosts on STORE (a URL, or "" for SQLite in each host's data directory); sets host_urls.
start_cluster() {
  local count=$1 store=$2 i port log
  host_urls=()
  for ((i = 0; i < count; i++)); do
    log=$work/host$i.log
    : > "$log"
    "$build/switchyard" serve --config-dir "$work/config" --plugin-dir "${plugin_dir:-$build/plugins}" \
      --data-dir "$work/run$run/host$i" --listen 127.0.0.1:0 ${store:+--store "$store"} > "$log" 2>&1 &
    cluster_pids+=($!)
    wait_for_line "$log" 'msg="Listening on 127.0.0.1:'
    port=$(sed -n 's/.*msg="Listening on 127\.0\.0\.1:\([0-9]*\)\..*/\1/p' "$log" | head -1)
    host_urls+=("http://127.0.0.1:$port")
  done
  [[ -z $store ]] || wait_for_partitions_shared
}

# The sum of a /metrics series over every host.
cluster_metric() {
  local url sum=0 value
  for url in "${host_urls[@]}"; do
    value=$(curl -sf "$url/metrics" | awk -v name="$1" '$1 == name || index($1, name "{") == 1 {s += $NF} END {printf "%.0f", s}')
    sum=$((sum + value))
  done
  echo "$sum"
}

# Whether every host leases some of the 64 partitions and together they lease them all.
partitions_shared() {
  local url held sum=0
  for url in "${host_urls[@]}"; do
    held=$(curl -sf "$url/metrics" | awk '$1 == "switchyard_partitions_held" {printf "%.0f", $NF}')
    [[ ${held:-0} -gt 0 ]] || return 1
    sum=$((sum + held))
  done
  [[ $sum -eq 64 ]]
}

wait_for_partitions_shared() {
  for _ in $(seq 300); do
    partitions_shared && return 0
    sleep 0.1
  done
  echo "the partitions were not shared among the ${#host_urls[@]} hosts within 30 s" >&2
  exit 1
}

cluster_cpu() { local pid sum=0; for pid in "${cluster_pids[@]}"; do sum=$(awk -v a="$sum" -v b="$(cpu_seconds "$pid")" 'BEGIN{print a + b}'); done; echo "$sum"; }

# One measurement: KIND (ingest|e2e) with COUNT hosts on STORE (postgresql|sqlite); appends a row.
measure() {
  local kind=$1 count=$2 store_kind=$3 store="" database="" i
  local per_host=$((events / count))
  run=$((run + 1))
  if [[ $kind == ingest ]]; then
    write_workspace http://127.0.0.1:1/api/ "" "      backoff_base: 1h
      backoff_cap: 1h"
  else
    write_workspace "$mock_url" "$unlimited" "      workers: 4"
  fi
  if [[ $store_kind == postgresql ]]; then
    database=bench_${kind}_$count
    store=$(create_database "$database")
  fi
  start_cluster "$count" "$store"
  local before=(0 0) after=(0 0)
  [[ -z $database ]] || read -r -a before < <(pg_counters "$database")
  local cpu_hosts_before cpu_pg_before cpu_mock_before busy_before start_ms
  cpu_hosts_before=$(cluster_cpu) cpu_pg_before=$(cpu_seconds "${postmaster_pid:-}") cpu_mock_before=$(cpu_seconds "$mock_pid")
  busy_before=$(busy_cpu_seconds) start_ms=$(date +%s%3N)
  local loads=()
  for ((i = 0; i < count; i++)); do
    "$build/bench/ingest_load" --url "${host_urls[$i]}" --write-key "$write_key" --events "$per_host" --batch "$batch" \
      --connections "$(( connections / count + (i < connections % count ? 1 : 0) ))" --seed "$((7 + i))" > "$work/load$run-$i.json" &
    loads+=($!)
  done
  for i in "${loads[@]}"; do wait "$i" || { echo "ingestion had failures (run $run)" >&2; exit 1; }; done
  if [[ $kind == e2e ]]; then
    local waited=0
    until [[ $(cluster_metric switchyard_events_delivered_total) -ge $((per_host * count)) ]]; do
      ((++waited <= 6000)) || { echo "not all delivered within 10 minutes (run $run)" >&2; exit 1; }
      sleep 0.1
    done
  fi
  local end_ms busy_after
  end_ms=$(date +%s%3N) busy_after=$(busy_cpu_seconds)
  [[ -z $database ]] || read -r -a after < <(pg_counters "$database")
  local cpu_hosts cpu_pg cpu_mock
  cpu_hosts=$(awk -v a="$cpu_hosts_before" -v b="$(cluster_cpu)" 'BEGIN{print b - a}')
  cpu_pg=$(awk -v a="$cpu_pg_before" -v b="$(cpu_seconds "${postmaster_pid:-}")" 'BEGIN{print b - a}')
  [[ $store_kind == postgresql ]] || cpu_pg=0
  cpu_mock=$(awk -v a="$cpu_mock_before" -v b="$(cpu_seconds "$mock_pid")" 'BEGIN{print b - a}')
  local delivered
  delivered=$(cluster_metric switchyard_events_delivered_total)
  stop_cluster
  if [[ -n $database && -n ${TOP_STATEMENTS:-} ]]; then
    { echo "run $run ($kind, $count hosts), most frequent statements:"; top_statements "$database" "$TOP_STATEMENTS"; } >&2
  fi
  python3 - "$kind" "$count" "$store_kind" "$start_ms" "$end_ms" "$((per_host * count))" "$delivered" \
    "$((after[0] - before[0]))" "$((after[1] - before[1]))" "$cpu_hosts" "$cpu_pg" "$cpu_mock" \
    "$(awk -v a="$busy_before" -v b="$busy_after" 'BEGIN{print b - a}')" "$work"/load"$run"-*.json >> "$work/rows" <<'PY'
import json, sys
kind, count, store, start_ms, end_ms, sent, delivered = sys.argv[1:8]
commits, statements = int(sys.argv[8]), int(sys.argv[9])
cpu_hosts, cpu_pg, cpu_mock, busy = (float(a) for a in sys.argv[10:14])
loads = [json.load(open(f)) for f in sys.argv[14:]]
sent = int(sent)
wall = (int(end_ms) - int(start_ms)) / 1000
ingest_s = max(l['seconds'] for l in loads)
rate = sent / ingest_s if kind == 'ingest' else int(delivered) / wall
p99 = max(l['ack_ms']['p99'] for l in loads)
load_cpu = sum(l['cpu_s'] for l in loads)
others = max(0.0, busy - cpu_hosts - cpu_pg - cpu_mock - load_cpu) / wall
per_event = lambda n: f"{n / sent:.3f}" if store == 'postgresql' else '-'
print(f"| {kind} | {store} | {count} | {rate:,.0f} | {p99} | {per_event(commits)} | {per_event(statements)} | "
      f"{cpu_hosts / wall:.2f} | {cpu_pg / wall:.2f} | {(cpu_mock + load_cpu) / wall:.2f} | {others:.2f} |")
PY
  echo "run $run done: $(tail -1 "$work/rows")" >&2
}

start_mock
start_postgres
run=0
: > "$work/rows"
for kind in ingest e2e; do
  measure "$kind" 1 sqlite
  for count in $host_counts; do measure "$kind" "$count" postgresql; done
done
echo "$events events, batch $batch, $connections connections in all; $(nproc) cores; commit $(git rev-parse --short HEAD)"
echo "| run | store | hosts | events/s | worst ack p99 (ms) | commits/event | statements/event | hosts' cores | PostgreSQL's cores | mock + load cores | others' cores |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
cat "$work/rows"
