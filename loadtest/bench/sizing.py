#!/usr/bin/env python3
"""Fills a Freshet's hot tier by reading every seeded customer, then samples Redis.

  sizing.py fill   --url URL --customers N
      online reads of every churn view's features for customers 1..N, 1,000 entities a request,
      so each (view, customer) record is in the hot tier and in Redis
  sizing.py redis  --prefix P --customers N [--redis-cli ARGS]
      MEMORY USAGE of every view's key of 1,000 customers spread over 1..N: prints one
      "view bytes_per_key" line per view

Standard library only (redis-cli for the second).
"""

import argparse
import http.client
import json
import subprocess
import sys
import urllib.parse

VIEWS = {
    "customer_profile": ["age", "plan", "tenure_days", "monthly_spend"],
    "customer_activity": ["sessions_7d", "minutes_7d", "last_login_days"],
    "customer_support": ["tickets_30d", "open_tickets", "csat_score"],
}


def fill(url, customers):
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    features = [f"{view}:{name}" for view, names in VIEWS.items() for name in names]
    for start in range(1, customers + 1, 1000):
        ids = list(range(start, min(start + 1000, customers + 1)))
        body = json.dumps({"features": features, "entities": {"customer_id": ids}})
        conn.request("POST", "/v1/features/online", body, {"Content-Type": "application/json"})
        response = conn.getresponse()
        answer = response.read()
        if response.status != 200:
            raise RuntimeError(f"online read answered {response.status}: {answer[:300]!r}")


def redis(prefix, customers, cli):
    step = max(1, customers // 1000)
    for view in VIEWS:
        keys = [f"{prefix}{{{view}:{c}}}" for c in range(1, customers + 1, step)]
        script = "".join(f"MEMORY USAGE {k}\n" for k in keys)
        out = subprocess.run(cli, input=script, capture_output=True, text=True, check=True).stdout
        sizes = [int(line) for line in out.split() if line.isdigit()]
        if len(sizes) != len(keys):
            raise RuntimeError(f"{view}: {len(keys)} keys sampled, {len(sizes)} found in Redis")
        print(f"{view} {sum(sizes) / len(sizes):.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["fill", "redis"])
    parser.add_argument("--url")
    parser.add_argument("--prefix")
    parser.add_argument("--customers", type=int, required=True)
    parser.add_argument("--redis-cli", default="redis-cli", help="redis-cli and its connection arguments")
    args = parser.parse_args()
    if args.command == "fill":
        fill(args.url, args.customers)
    else:
        redis(args.prefix, args.customers, args.redis_cli.split())


if __name__ == "__main__":
    try:
        main()
    except (OSError, RuntimeError, subprocess.CalledProcessError) as e:
        sys.exit(f"sizing.py: {e}")
