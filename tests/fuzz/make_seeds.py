#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, generated from the conformance vectors (not committed).

usage: make_seeds.py REPO_DIR OUT_DIR
Reads REPO_DIR/tests/data/conformance/iterable/ and REPO_DIR/config/.
Writes OUT_DIR/<target>/<name> for the targets transform, settings, workspace, ingest and
grading; each file's format is the one described at the top of tests/fuzz/<target>_fuzz.cpp.
"""
import base64
import gzip
import hashlib
import json
import pathlib
import sys

EVENTS_PER_GROUP = 5      # NDJSON seeds of several events (router batches, /v1/batch bodies)
DIFFERENTIAL_EVENTS = 120  # of the 1000 recorded events: enough variety, small corpus


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class Corpus:
    def __init__(self, root, target):
        self.dir = pathlib.Path(root) / target
        self.dir.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def add(self, data):
        if isinstance(data, str):
            data = data.encode()
        (self.dir / hashlib.sha1(data).hexdigest()).write_bytes(data)
        self.count += 1


def load_vectors(repo):
    base = pathlib.Path(repo) / "tests" / "data" / "conformance" / "iterable"
    read = lambda name: json.loads((base / name).read_text())
    differential = (base / "differential" / "events.ndjson").read_text().splitlines()
    return {
        "processor": read("processor.json") + read("legacy_processor.json"),
        "router": read("router.json"),
        "delivery": read("delivery.json"),
        "differential": [line for line in differential if line.strip()][:DIFFERENTIAL_EVENTS],
        "settings": (base / "differential" / "settings.json").read_text(),
    }


def single_events(vectors):
    events = [compact(case["input"]) for case in vectors["processor"] if isinstance(case.get("input"), dict)]
    for case in vectors["router"]:
        events += [compact(job["message"]) for job in case["input"] if isinstance(job, dict) and "message" in job]
    return events + vectors["differential"]


def groups(events):
    return [events[i:i + EVENTS_PER_GROUP] for i in range(0, len(events), EVENTS_PER_GROUP)]


def destination_configs(vectors):
    configs = {compact(json.loads(vectors["settings"]))}
    for case in vectors["processor"] + vectors["router"]:
        config = case.get("destination_config")
        if isinstance(config, dict) and "apiKey" in config:
            configs.add(compact(config))
    return sorted(configs)


def transform_seeds(out, vectors):
    events = single_events(vectors)
    for event in events:
        out.add(event)
    for group in groups(events):
        out.add("\n".join(group))


def settings_seeds(out, vectors):
    for config in destination_configs(vectors):
        out.add(config)
        with_options = json.loads(config)
        with_options.update({"endpoint": "http://127.0.0.1:8090", "connectTimeoutMs": 2000, "requestTimeoutMs": 10000,
                             "gzipRequests": True, "rateLimits": {"events/track": 100, "users/update": 0.5}, "registerDeviceOrBrowserApiKey": "device-key-123"})
        out.add(compact(with_options))


def workspace_seeds(out, vectors, repo):
    for path in sorted((pathlib.Path(repo) / "config").glob("*.y*ml")):
        out.add(path.read_bytes())
    for i, config in enumerate(destination_configs(vectors)):
        settings = "\n".join(f"      {key}: {compact(value)}" for key, value in json.loads(config).items())
        out.add(f"""workspace: ws{i}
sources:
  - id: web-{i}
    write_key: ${{ACME_WRITE_KEY_{i}}}
    destinations: [iterable-{i}]
destinations:
  - id: iterable-{i}
    plugin: iterable
    settings:
{settings}
    delivery:
      workers: {1 + i % 8}
      batch_size: {100 * (1 + i)}
      retry_window: {1 + i}h
      backoff_base: 250ms
      backoff_cap: 5m
""")


def ingest_request(path_type, body, encoding="", content_type="application/json", write_key="write-key-1"):
    authorization = "Basic " + base64.b64encode(f"{write_key}:".encode()).decode() if write_key else ""
    head = f"{path_type}\n{encoding}\n{content_type}\n{authorization}\n".encode()
    return head + (gzip.compress(body.encode(), mtime=0) if encoding == "gzip" else body.encode())


def ingest_seeds(out, vectors):
    for event in single_events(vectors):
        message = json.loads(event)
        path_type = message.get("type", "track") if isinstance(message.get("type"), str) else "track"
        out.add(ingest_request(path_type, event))
    for i, group in enumerate(groups(single_events(vectors))):
        body = compact({"batch": [json.loads(e) for e in group], "sentAt": "2024-05-01T08:00:02.316Z",
                        "context": {"library": {"name": "fuzz"}}, "writeKey": "write-key-1"})
        out.add(ingest_request("batch", body, encoding="gzip" if i % 2 else "", write_key="" if i % 3 == 0 else "write-key-1"))


def grading_seeds(out, vectors):
    for case in vectors["delivery"]:
        sent, answer = case["input"], case["destination_http_response"]
        out.add(f"{answer['status']}\n\n{sent['endpointPath']}\n{len(sent['metadata'])}\n"
                f"{compact(sent['body']['JSON'])}\n{compact(answer['body'])}")
    track = "events/track"
    out.add(f'429\n2\n{track}\n1\n{{}}\n{{"msg":"Rate limit exceeded","code":"RateLimitExceeded"}}')
    out.add(f"503\nWed, 01 May 2024 08:00:30 GMT\n{track}\n1\n{{}}\n<html>Service Unavailable</html>")
    out.add(f"0\n\n{track}\n3\n{{}}\n")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    repo, root = sys.argv[1:]
    vectors = load_vectors(repo)
    corpora = {name: Corpus(root, name) for name in ("transform", "settings", "workspace", "ingest", "grading")}
    transform_seeds(corpora["transform"], vectors)
    settings_seeds(corpora["settings"], vectors)
    workspace_seeds(corpora["workspace"], vectors, repo)
    ingest_seeds(corpora["ingest"], vectors)
    grading_seeds(corpora["grading"], vectors)
    print("seeds: " + ", ".join(f"{name} {c.count}" for name, c in corpora.items()))


if __name__ == "__main__":
    main()
