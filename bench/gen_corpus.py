#!/usr/bin/env python3
"""Writes an N-event NDJSON corpus with the differential sample's mix of event types, sizes and
shapes (tests/data/conformance/iterable/differential/events.ndjson): each output event is a sample
event with a fresh messageId, a user drawn from a larger population, and shifted timestamps.
Deterministic for a given --seed.

  bench/gen_corpus.py --events 100000 > /tmp/corpus.ndjson
  bench/gen_corpus.py --events 100000 --only alias > /tmp/alias.ndjson   # one kind of event

--only KIND keeps one kind of the sample's events (identify, track = custom track events, page,
screen, order-completed, product-added). The sample has no alias, group or Product Removed
events, so those kinds are made from its identify events (alias: previousId and userId become
old and new e-mail addresses, the traits go; group: a groupId and company traits) and from its
Product Added events (the event renamed), keeping their context and size.
"""
import argparse
import json
import os
import random
import sys
import uuid
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = ('identify', 'track', 'page', 'screen', 'alias', 'group', 'order-completed', 'product-added',
         'product-removed')
CART_EVENTS = {'order completed': 'order-completed', 'product added': 'product-added',
               'product removed': 'product-removed'}
SAMPLE = os.path.join(HERE, '..', 'tests', 'data', 'conformance', 'iterable', 'differential', 'events.ndjson')
TIME_FIELDS = ('originalTimestamp', 'sentAt', 'receivedAt', 'timestamp')


def shift(stamp, seconds):
    t = datetime.strptime(stamp, '%Y-%m-%dT%H:%M:%S.%fZ').replace(tzinfo=timezone.utc)
    return (t + timedelta(seconds=seconds)).strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + 'Z'


def kind_of(event):
    if event.get('type') != 'track':
        return event.get('type')
    return CART_EVENTS.get(str(event.get('event', '')).lower(), 'track')


def as_alias(identify):
    e = {k: v for k, v in identify.items() if k != 'traits'}
    e['type'] = 'alias'
    e['previousId'] = 'old-address@example.com'  # replaced per event in main()
    return e


def as_group(identify):
    e = {k: v for k, v in identify.items() if k != 'traits'}
    e['type'] = 'group'
    e['groupId'] = 'group-1'
    e['traits'] = {'name': 'Initech', 'industry': 'Software', 'employees': 250, 'plan': 'enterprise'}
    return e


def as_product_removed(product_added):
    e = json.loads(json.dumps(product_added))
    e['event'] = 'Product Removed'
    return e


# The sample's events of one kind, or ones derived from another kind where the sample has none.
def templates_of_kind(templates, kind):
    derived = {'alias': ('identify', as_alias), 'group': ('identify', as_group),
               'product-removed': ('product-added', as_product_removed)}
    source_kind, make = derived.get(kind, (kind, lambda e: e))
    chosen = [make(e) for e in templates if kind_of(e) == source_kind]
    if not chosen:
        sys.exit(f'gen_corpus.py: the sample has no events of kind {kind}')
    return chosen


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--events', type=int, default=100_000)
    ap.add_argument('--users', type=int, default=10_000, help='size of the user population')
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--sample', default=SAMPLE)
    ap.add_argument('--only', choices=KINDS, help='one kind of event instead of the sample\'s mix')
    ap.add_argument('--type-first', action='store_true',
                    help='"type" as the first member, as the host stores events (host/ingest/normalize.cpp)')
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with open(args.sample) as f:
        templates = [json.loads(line) for line in f if line.strip()]
    if args.only:
        templates = templates_of_kind(templates, args.only)
    out = sys.stdout
    for i in range(args.events):
        e = json.loads(json.dumps(templates[i % len(templates)]))
        user = rng.randrange(args.users)
        e['messageId'] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if e['type'] == 'alias':  # Iterable's users/updateEmail wants e-mail addresses
            e['previousId'] = f'user-{user}@example.com'
            e['userId'] = f'user-{user}-new@example.com'
        elif 'userId' in e:
            e['userId'] = f'user-{user}'
        e['anonymousId'] = str(uuid.UUID(int=user * 7919 + 1, version=4))
        offset = (i // len(templates)) * 1000
        for field in TIME_FIELDS:
            if field in e:
                e[field] = shift(e[field], offset)
        if args.type_first:
            e = {'type': e.pop('type'), **e}
        out.write(json.dumps(e, ensure_ascii=False, separators=(',', ':')) + '\n')


if __name__ == '__main__':
    main()
