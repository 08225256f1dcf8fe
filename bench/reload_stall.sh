#!/usr/bin/env bash
# Ingestion stall during hot reloads: a steady stream of small batches into the host while the
# Iterable plugin is replaced (the two test builds, alternately copied in place and renamed into
# place) and its settings rewritten, every INTERVAL seconds; compares the acknowledgement latency
# with a run of the same stream and no reload.
#   bench/reload_stall.sh [SECONDS] [RATE events/s] [INTERVAL s]     (defaults 20 2000 0.5)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20} rate=${2:-2000} interval=${3:-0.5}
builds=("${BUILD_DIR:-build}/plugins/iterable.so" "${BUILD_DIR:-build}/test-plugins/iterable-next/iterable.so")
for b in "${builds[@]}"; do [[ -f $b ]] || { echo "$b is missing: build with the tests" >&2; exit 2; }; done
source bench/serve_fixture.sh

plugin_dir=$work/plugins
mkdir -m 700 "$plugin_dir"
cp "${builds[0]}" "$plugin_dir/iterable.so"
start_mock
write_workspace "$mock_url"
start_host

stream() { "$build/bench/ingest_load" --url "$host_url" --write-key "$write_key" --duration "$seconds" --rate "$rate" \
  --batch 10 --connections 4; }

echo "== no reload: ${seconds}s at $rate events/s (batches of 10, 4 connections)"
stream
echo "== a reload every ${interval}s meanwhile"
cp "$work/config/bench.yaml" "$work/settings-a.yaml"
{ cat "$work/settings-a.yaml"; echo "      mapToSingleEvent: true"; } > "$work/settings-b.yaml"
(
  end=$((SECONDS + seconds))
  for ((i = 0; SECONDS < end; i++)); do
    sleep "$interval"
    case $((i % 4)) in
      0) cp "${builds[1]}" "$plugin_dir/iterable.so" ;;                                        # build copied in place
      1) cp "$work/settings-b.yaml" "$work/config/bench.yaml" ;;                                # settings rewritten
      2) cp "${builds[0]}" "$plugin_dir/next.tmp" && mv "$plugin_dir/next.tmp" "$plugin_dir/iterable.so" ;;  # renamed in
      3) cp "$work/settings-a.yaml" "$work/config/new.tmp" && mv "$work/config/new.tmp" "$work/config/bench.yaml" ;;
    esac
  done
) &
reloader=$!
stream
wait "$reloader"
echo "reloads: applied $(metric switchyard_reloads_total applied), unchanged $(metric switchyard_reloads_total unchanged), failed $(metric switchyard_reloads_total failed)"
