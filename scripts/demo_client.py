#!/usr/bin/env python3
"""The demo's client: sends sample events through the host's ingestion API, waits until each has
reached the mock Iterable (or a deadline passes, then names those that did not), and prints what
the mock recorded, one block per user.

    demo_client.py HOST_URL MOCK_URL WRITE_KEY [--deadline SECONDS]

Exit 0 when every event arrived, 1 when one was refused or did not arrive in time.
"""
import argparse
import base64
import json
import sys
import time
import urllib.error
import urllib.request

ADA = "ada@example.com"
ADA_NEW = "ada.l@example.com"
GRACE = "grace@example.com"


def has_event(name, user_id):
    return lambda s: any(e.get("eventName") == name and e.get("userId") == user_id for e in s["events"])


def has_user_field(email, field, value):
    return lambda s: s["users"].get(email, {}).get("dataFields", {}).get(field) == value


# (what it is, ingestion path, body, how the mock's state shows it arrived). Sent in this order;
# the batch carries two events, one line each here.
EVENTS = [
    ("identify ada", "identify",
     {"userId": "ada", "traits": {"email": ADA, "firstName": "Ada", "plan": "pro"}},
     lambda s: any(u.get("userId") == "ada" and u.get("dataFields", {}).get("firstName") == "Ada"
                   for u in s["users"].values())),
    ("track Signed Up", "track",
     {"userId": "ada", "event": "Signed Up", "properties": {"source": "demo"}},
     has_event("Signed Up", "ada")),
    ("page Pricing", "page",
     {"userId": "ada", "name": "Pricing", "properties": {"url": "https://example.com/pricing"}},
     has_event("Pricing page", "ada")),
    ("screen Home", "screen",
     {"userId": "ada", "name": "Home", "properties": {"tab": "feed"}},
     has_event("Home screen", "ada")),
    ("track Product Added", "track",
     {"userId": "ada", "event": "Product Added",
      "properties": {"product_id": "p1", "name": "Shoe", "price": 40, "quantity": 1}},
     lambda s: any(i.get("name") == "Shoe" for items in s["carts"].values() for i in items)),
    ("track Order Completed", "track",
     {"userId": "ada", "event": "Order Completed",
      "properties": {"order_id": "o1", "total": 40,
                     "products": [{"product_id": "p1", "name": "Shoe", "price": 40, "quantity": 1}]}},
     lambda s: any(p.get("id") == "o1" for p in s["purchases"])),
    ("alias ada's new email", "alias",
     {"userId": ADA_NEW, "previousId": ADA},
     lambda s: any(u.get("newEmail") == ADA_NEW for u in s["email_updates"])),
    ("identify grace (batch)", None,
     {"type": "identify", "userId": "grace", "traits": {"email": GRACE}},
     lambda s: GRACE in s["users"]),
    ("track Logged In (batch)", None,
     {"type": "track", "userId": "grace", "event": "Logged In"},
     has_event("Logged In", "grace")),
]


def call(url, body=None, write_key=None):
    request = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if write_key:
        request.add_header("Authorization", "Basic " + base64.b64encode(f"{write_key}:".encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def send_all(host, write_key):
    """Sends every event; False when the host refused one."""
    singles = [(label, path, body) for label, path, body, _ in EVENTS if path]
    batch = [body for _, path, body, _ in EVENTS if not path]
    requests = singles + [("batch of 2", "batch", {"batch": batch})]
    ok = True
    for label, path, body in requests:
        status, answer = call(f"{host}/v1/{path}", body, write_key)
        print(f"  POST /v1/{path:<8} {label:<24} -> {status} {answer.strip()}")
        ok = ok and status == 200
    return ok


def wait_for_delivery(mock, deadline_s):
    """Polls the mock until every event shows; returns the state and the events still missing."""
    end = time.monotonic() + deadline_s
    while True:
        state = json.loads(call(f"{mock}/_mock/state")[1])
        missing = [label for label, _, _, arrived in EVENTS if not arrived(state)]
        if not missing or time.monotonic() > end:
            return state, missing
        time.sleep(0.1)


def print_users(state):
    """One block per user: profile fields, then what arrived for that user."""
    for email, user in state["users"].items():
        user_id = user.get("userId")
        fields = {k: v for k, v in user.get('dataFields', {}).items() if k != 'email'}
        print(f"  user {user_id or '?'} <{email}>: {json.dumps(fields)}")
        mine = lambda record: record.get("userId") == user_id or record.get("email") == email  # noqa: E731
        for event in filter(mine, state["events"]):
            print(f"    event    {event['eventName']} {json.dumps(event.get('dataFields', {}))}")
        for purchase in state["purchases"]:
            if mine(purchase.get("user", {})):
                print(f"    purchase {purchase['id']}: total {purchase['total']}, "
                      f"{', '.join(i['name'] for i in purchase['items'])}")
        for key, items in state["carts"].items():
            if key in (email, user_id):
                print(f"    cart     {', '.join(i['name'] for i in items)}")
        for update in state["email_updates"]:
            if update.get("newEmail") == email:
                print(f"    email    changed from {update.get('currentEmail')}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("host")
    parser.add_argument("mock")
    parser.add_argument("write_key")
    parser.add_argument("--deadline", type=float, default=30, help="seconds to wait for delivery")
    args = parser.parse_args()

    print("== sending sample events (write key as the Basic-auth user name)")
    if not send_all(args.host, args.write_key):
        print("demo: the host refused an event (answers above)", file=sys.stderr)
        return 1
    print(f"== waiting until the mock Iterable has all {len(EVENTS)} events (at most {args.deadline:g} s)")
    state, missing = wait_for_delivery(args.mock, args.deadline)
    print("== what the mock Iterable recorded")
    print_users(state)
    if missing:
        print(f"demo: {len(missing)} of {len(EVENTS)} events did not arrive within {args.deadline:g} s: "
              + "; ".join(missing), file=sys.stderr)
        return 1
    print(f"== all {len(EVENTS)} events delivered")
    return 0


if __name__ == "__main__":
    sys.exit(main())
