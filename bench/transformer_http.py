#!/usr/bin/env python3
"""Load for a rudder-transformer HTTP API (`switchyard transformer`, or rudder-transformer itself):
sends a corpus as rudder-server's processor (POST /v0/destinations/NAME) or router
(POST /routerTransform) envelopes, at rudder-server's default batch size and concurrency, and
reports events/s, the server's CPU seconds (events per CPU second: the per-core figure) and the
server's peak RSS (VmHWM: start a fresh server for each run).

  bench/transformer_http.py --url http://127.0.0.1:9090 --pid PID --mode processor --corpus /tmp/corpus.ndjson

rudder-server's defaults (rudder-server f2655fb): the processor sends batches of 100 events
(Processor.transformBatchSize) over up to 100 connections (Transformer.Client.maxHTTPConnections);
the router's 64 workers (Router.noOfWorkers) send up to 20 jobs each (noOfJobsToBatchInAWorker).
Every answer is checked: status 200, and one entry per event (processor) or every event's metadata
back (router).
"""
import argparse
import http.client
import json
import os
import sys
import threading
import time
from urllib.parse import urlparse

HERE = os.path.dirname(os.path.abspath(__file__))
SETTINGS = os.path.join(HERE, '..', 'tests', 'data', 'conformance', 'iterable', 'differential', 'settings.json')
DEFAULTS = {'processor': (100, 100), 'router': (20, 64)}  # mode → (events per request, connections)


def metadata(job_id, message):
    # The fields rudder-server's processor sends with each event (its types.Metadata), filled alike.
    return {'sourceId': 'src-1', 'workspaceId': 'ws-1', 'namespace': '', 'instanceId': '1',
            'sourceType': 'HTTP', 'sourceCategory': '', 'trackingPlanId': '', 'trackingPlanVersion': 0,
            'sourceTpConfig': {}, 'mergedTpConfig': {}, 'destinationId': 'dst-1', 'jobRunId': '',
            'jobId': job_id, 'sourceBatchId': '', 'sourceJobId': '', 'sourceJobRunId': '',
            'sourceTaskId': '', 'sourceTaskRunId': '', 'recordId': None, 'destinationType': 'ITERABLE',
            'messageId': message.get('messageId', ''), 'oauthAccessToken': '', 'messageIds': [],
            'rudderId': '', 'receivedAt': message.get('receivedAt', ''), 'eventName': message.get('event', ''),
            'eventType': message.get('type', ''), 'sourceDefinitionId': 'def-1',
            'destinationDefinitionId': 'def-2', 'transformationId': '', 'dontBatch': False}


def destination(config):
    return {'ID': 'dst-1', 'Name': 'iterable', 'Config': config, 'Enabled': True, 'WorkspaceID': 'ws-1',
            'DestinationDefinition': {'ID': 'def-2', 'Name': 'ITERABLE', 'DisplayName': 'Iterable', 'Config': {}},
            'Transformations': [], 'IsProcessorEnabled': True, 'RevisionID': 'rev-1'}


def bodies(corpus, mode, batch, config):
    with open(corpus) as f:
        messages = [json.loads(line) for line in f if line.strip()]
    dest = destination(config)
    out = []
    for first in range(0, len(messages), batch):
        items = [{'message': m, 'metadata': metadata(first + k, m), 'destination': dest}
                 for k, m in enumerate(messages[first:first + batch])]
        body = items if mode == 'processor' else {'input': items, 'destType': 'ITERABLE'}
        out.append((len(items), json.dumps(body, separators=(',', ':')).encode()))
    return out


def check(mode, count, answer):
    parsed = json.loads(answer)
    if mode == 'processor':
        ok = len({json.dumps(e.get('metadata', {}).get('jobId')) for e in parsed}) == count
    else:
        ok = sum(len(e['metadata']) for e in parsed['output']) >= count
    if not ok:
        raise SystemExit('an answer does not account for every event: ' + answer[:300].decode(errors='replace'))


def cpu_seconds(pid):
    with open(f'/proc/{pid}/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def peak_rss_mb(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) / 1024
    return 0.0


def run(url, path, mode, work, connections):
    target = urlparse(url)
    next_index = [0]
    lock = threading.Lock()
    failure = []

    def client():
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=300)
        while not failure:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= len(work):
                return
            count, body = work[i]
            try:
                conn.request('POST', path, body, {'Content-Type': 'application/json'})
                res = conn.getresponse()
                answer = res.read()
                if res.status != 200:
                    raise RuntimeError(f'status {res.status}: {answer[:200]!r}')
                check(mode, count, answer)
            except Exception as e:  # noqa: BLE001 - reported once, stops the run
                failure.append(str(e))

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failure:
        raise SystemExit('request failed: ' + failure[0])


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--url', default='http://127.0.0.1:9090')
    p.add_argument('--pid', type=int, required=True, help='the server process (its CPU time and peak RSS)')
    p.add_argument('--mode', choices=DEFAULTS, default='processor')
    p.add_argument('--corpus', required=True, help='NDJSON events (bench/gen_corpus.py)')
    p.add_argument('--settings', default=SETTINGS, help='the destination Config')
    p.add_argument('--batch', type=int, help='events per request (default: rudder-server\'s)')
    p.add_argument('--connections', type=int, help='requests in flight (default: rudder-server\'s)')
    args = p.parse_args()
    batch = args.batch or DEFAULTS[args.mode][0]
    connections = args.connections or DEFAULTS[args.mode][1]
    with open(args.settings) as f:
        config = json.load(f)
    work = bodies(args.corpus, args.mode, batch, config)
    events = sum(count for count, _ in work)
    path = '/v0/destinations/iterable' if args.mode == 'processor' else '/routerTransform'
    run(args.url, path, args.mode, work[:1], 1)  # warm-up: instances built, code paged in
    cpu_before, start = cpu_seconds(args.pid), time.monotonic()
    run(args.url, path, args.mode, work, connections)
    wall, cpu = time.monotonic() - start, cpu_seconds(args.pid) - cpu_before
    print(json.dumps({'mode': args.mode, 'events': events, 'batch': batch, 'connections': connections,
                      'seconds': round(wall, 2), 'events_per_s': round(events / wall),
                      'server_cpu_s': round(cpu, 2), 'events_per_cpu_s': round(events / cpu) if cpu else None,
                      'server_peak_rss_mb': round(peak_rss_mb(args.pid), 1)}))


if __name__ == '__main__':
    sys.exit(main())
