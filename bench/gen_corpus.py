#!/usr/bin/env python3
"""Writes an N-event NDJSON corpus with the differential sample's mix of event types, sizes and
shapes (../shared/conformance/iterable/differential/events.ndjson): each output event is a sample
event with a fresh messageId, a user drawn from a larger population, and shifted timestamps.
Deterministic for a given --seed.

  bench/gen_corpus.py --events 100000 > /tmp/corpus.ndjson
"""
import argparse
import json
import os
import random
import sys
import uuid
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, '..', '..', 'shared', 'conformance', 'iterable', 'differential', 'events.ndjson')
TIME_FIELDS = ('originalTimestamp', 'sentAt', 'receivedAt', 'timestamp')


def shift(stamp, seconds):
    t = datetime.strptime(stamp, '%Y-%m-%dT%H:%M:%S.%fZ').replace(tzinfo=timezone.utc)
    return (t + timedelta(seconds=seconds)).strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + 'Z'


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--events', type=int, default=100_000)
    ap.add_argument('--users', type=int, default=10_000, help='size of the user population')
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--sample', default=SAMPLE)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with open(args.sample) as f:
        templates = [json.loads(line) for line in f if line.strip()]
    out = sys.stdout
    for i in range(args.events):
        e = json.loads(json.dumps(templates[i % len(templates)]))
        user = rng.randrange(args.users)
        e['messageId'] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if 'userId' in e:
            e['userId'] = f'user-{user}'
        e['anonymousId'] = str(uuid.UUID(int=user * 7919 + 1, version=4))
        offset = (i // len(templates)) * 1000
        for field in TIME_FIELDS:
            if field in e:
                e[field] = shift(e[field], offset)
        out.write(json.dumps(e, ensure_ascii=False, separators=(',', ':')) + '\n')


if __name__ == '__main__':
    main()
