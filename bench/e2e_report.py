#!/usr/bin/env python3
"""Figures of bench/e2e_throughput.sh from what it collected in its work directory:
  load.json         ingest_load's line (first ack, ack latencies)
  timeline          "unix_ms received delivered queue_depth" sampled from the host's /metrics
  buckets           switchyard_delivery_latency_seconds_bucket lines at the end
  mock_stats.json   the mock's request counts; mock_state.json what it recorded

  e2e_report.py WORK_DIR EVENTS RSS_KB HWM_KB HOST_CPU_S MOCK_CPU_S
"""
import bisect
import json
import os
import re
import sys


def histogram_quantiles(lines, qs):
    """Per quantile: (upper bound of the bucket holding it, linear interpolation inside the bucket
    as Prometheus' histogram_quantile does)."""
    buckets = []
    for line in lines:
        m = re.search(r'le="([^"]+)"\}\s+(\S+)', line)
        if m:
            buckets.append((float('inf') if m.group(1) == '+Inf' else float(m.group(1)), float(m.group(2))))
    buckets.sort()
    total = buckets[-1][1] if buckets else 0
    out = []
    for q in qs:
        rank, lower, below = q * total, 0.0, 0.0
        for le, count in buckets:
            if count >= rank:
                if le == float('inf'):
                    out.append((le, lower))
                else:
                    share = (rank - below) / (count - below) if count > below else 1
                    out.append((le, lower + (le - lower) * share))
                break
            lower, below = le, count
    return out, int(total)


def crossing_ms(times, counts, k):
    """When the sampled cumulative count first reached k, interpolated between samples."""
    i = bisect.bisect_left(counts, k)
    if i >= len(counts):
        return None
    if i == 0 or counts[i] == counts[i - 1]:
        return times[i]
    t0, t1, c0, c1 = times[i - 1], times[i], counts[i - 1], counts[i]
    return t0 + (t1 - t0) * (k - c0) / (c1 - c0)


def timeline_lags(rows, events):
    """Lag of the k-th event = when delivered reached k - when received reached k, for k spread
    over 1..events: exact for a FIFO queue, an estimate under per-user order with several workers."""
    times = [r[0] for r in rows]
    received = [r[1] for r in rows]
    delivered = [r[2] for r in rows]
    lags = []
    for k in range(max(1, events // 2000), events + 1, max(1, events // 2000)):
        tr, td = crossing_ms(times, received, k), crossing_ms(times, delivered, k)
        if tr is not None and td is not None:
            lags.append(max(0.0, td - tr) / 1000)
    lags.sort()
    return [lags[min(len(lags) - 1, int(q * len(lags)))] for q in (0.5, 0.99)] if lags else [0, 0]


def mock_counts(state_file):
    state = json.load(open(state_file))
    seqs = [e.get('dataFields', {}).get('seq') for e in state.get('events', [])]
    return len(seqs), len(set(s for s in seqs if s is not None))


def main():
    work, events, rss_kb, hwm_kb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    host_cpu, mock_cpu = float(sys.argv[5]), float(sys.argv[6])
    load = json.load(open(os.path.join(work, 'load.json')))
    rows = [tuple(int(x) for x in line.split()) for line in open(os.path.join(work, 'timeline')) if line.strip()]
    done = next(r[0] for r in rows if r[2] >= events and r[3] == 0)
    first_ack, last_ack = load['first_ack_unix_ms'], load['last_ack_unix_ms']
    poll_ms = (rows[-1][0] - rows[0][0]) / max(1, len(rows) - 1)
    seconds = (done - first_ack) / 1000
    span = max(1e-9, (done - load['start_unix_ms']) / 1000)  # CPU figures cover the generator's set-up too (host idle)
    (p50b, p50i), (p99b, p99i) = histogram_quantiles(open(os.path.join(work, 'buckets')), (0.5, 0.99))[0]
    t50, t99 = timeline_lags(rows, events)
    stats = json.load(open(os.path.join(work, 'mock_stats.json')))
    recorded, distinct = mock_counts(os.path.join(work, 'mock_state.json'))
    print(f"ingest: {load['events']} events in {load['seconds']:.2f} s = {load['events_per_s']:.0f} events/s, "
          f"ack p50 {load['ack_ms']['p50']} / p99 {load['ack_ms']['p99']} ms")
    print(f"delivered: {events} events from first ack to last delivery in {seconds:.2f} s = {events / seconds:.0f} events/s "
          f"(last delivery seen by a /metrics poll every ~{poll_ms:.0f} ms; delivery went on "
          f"{(done - last_ack) / 1000:.2f} s after the last ack)")
    print(f"delivery lag (acceptance -> delivery): host histogram p50 <= {p50b:g} s (interpolated {p50i:.2f} s), "
          f"p99 <= {p99b:g} s (interpolated {p99i:.2f} s); from the received/delivered curves p50 {t50:.2f} s, p99 {t99:.2f} s")
    print(f"mock: {stats['requests']} requests {json.dumps(stats['by_path'])} over {stats['connections']} connection(s); "
          f"{recorded} events recorded, {distinct} distinct seq")
    print(f"host memory: RSS {rss_kb // 1024} MB after the drain, peak (VmHWM) {hwm_kb // 1024} MB; CPU from start to "
          f"last delivery: host {host_cpu / span:.2f} cores, mock {mock_cpu / span:.2f} cores")
    if distinct != events:
        print(f"MISMATCH: the mock recorded {distinct} distinct events, {events} were sent", file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
