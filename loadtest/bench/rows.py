#!/usr/bin/env python3
"""Churn rows for Freshet's benchmarks, sent through the ingest API in fixed-size batches.

  rows.py seed   --url URL --customers N   every churn view for customers 1..N (online.sh)
  rows.py ingest --url URL --view V --rows N
                 [--first-id K]            rows of one view, timed end to end (ingest.sh)

Bodies are generated and encoded before the clock starts, so the timing covers HTTP, Freshet
and its tiers, not this script. Standard library only. Prints one key=value result line.
"""

import argparse
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

PLANS = ["basic", "pro", "enterprise"]


def profile(rng):
    return {
        "age": rng.randint(18, 90),
        "plan": rng.choice(PLANS),
        "tenure_days": rng.randint(0, 3650),
        "monthly_spend": None if rng.random() < 0.1 else round(rng.uniform(5, 500), 2),
    }


def activity(rng):
    return {
        "sessions_7d": rng.randint(0, 60),
        "minutes_7d": round(rng.uniform(0, 900), 1),
        "last_login_days": None if rng.random() < 0.05 else rng.randint(0, 30),
    }


def support(rng):
    return {
        "tickets_30d": rng.randint(0, 12),
        "open_tickets": rng.randint(0, 3),
        "csat_score": None if rng.random() < 0.3 else round(rng.uniform(1, 5), 1),
    }


FEATURES = {"customer_profile": profile, "customer_activity": activity, "customer_support": support}


def bodies(view, first_id, count, batch, rng):
    """(view, encoded body, row count) per batch; every value recent enough to be FRESH."""
    event_ts = (datetime.now(timezone.utc) - timedelta(minutes=10)).isoformat(timespec="microseconds")
    jobs = []
    for start in range(first_id, first_id + count, batch):
        ids = range(start, min(start + batch, first_id + count))
        rows = [{"customer_id": i, "event_timestamp": event_ts, **FEATURES[view](rng)} for i in ids]
        jobs.append((view, json.dumps({"rows": rows}, separators=(",", ":")).encode(), len(rows)))
    return jobs


class Client:
    """One keep-alive connection per sending thread."""

    def __init__(self, url):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.local = threading.local()

    def ingest(self, job):
        view, body, rows = job
        if not hasattr(self.local, "conn"):
            self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        conn = self.local.conn
        conn.request("POST", "/v1/ingest/" + view, body, {"Content-Type": "application/json"})
        response = conn.getresponse()
        answer = response.read()
        if response.status != 200 or json.loads(answer)["accepted"] != rows:
            raise RuntimeError(f"ingest {view} answered {response.status}: {answer[:300]!r}")
        return rows


def send_all(url, jobs, clients):
    """Sends every batch with `clients` concurrent connections; returns (rows, seconds)."""
    client = Client(url)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        rows = sum(pool.map(client.ingest, jobs))
    return rows, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["seed", "ingest"])
    parser.add_argument("--url", required=True, help="Freshet base URL, e.g. http://127.0.0.1:18080")
    parser.add_argument("--customers", type=int, default=10_000, help="seed: customers 1..N")
    parser.add_argument("--view", choices=sorted(FEATURES), default="customer_profile", help="ingest: view")
    parser.add_argument("--rows", type=int, default=100_000, help="ingest: rows")
    parser.add_argument("--first-id", type=int, default=1, help="ingest: first customer id")
    parser.add_argument("--batch", type=int, default=1000, help="rows per request")
    parser.add_argument("--clients", type=int, default=4, help="concurrent connections")
    args = parser.parse_args()

    rng = random.Random(42)
    if args.command == "seed":
        jobs = [job for view in FEATURES for job in bodies(view, 1, args.customers, args.batch, rng)]
    else:
        jobs = bodies(args.view, args.first_id, args.rows, args.batch, rng)
    rows, seconds = send_all(args.url, jobs, args.clients)
    print(
        f"{args.command} rows={rows} batches={len(jobs)} batch={args.batch} clients={args.clients}"
        f" seconds={seconds:.3f} rows_per_s={rows / seconds:.0f}"
    )


if __name__ == "__main__":
    try:
        main()
    except (OSError, RuntimeError) as e:
        sys.exit(f"rows.py: {e}")
