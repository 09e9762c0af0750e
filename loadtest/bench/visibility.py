#!/usr/bin/env python3
"""Write->visible latency across two Freshet instances that share Redis and Postgres.

  visibility.py --writer URL_A --reader URL_B --writes N --customers C

For i in 1..N, one customer_profile row is written through A (POST /v1/ingest) with an event
time strictly later than every earlier write and tenure_days = MARK + i, so every write is newer
than what any instance holds. t0 is taken when A has answered 200 (the row is durable and A has
published it on the change feed); then the same customer is read through B
(POST /v1/features/online, meta full) in a tight loop until B returns tenure_days = MARK + i, and
t1 is taken when that response has arrived. t1 - t0 therefore includes one whole HTTP round trip
to B (request, B's read path, response), so it is an upper bound on the change-feed delay plus
B's read time. Customers rotate over 1..C, the set the background readers keep in B's hot tier.

Before and after the loop the script scrapes both instances' /metrics: B's
freshet_change_feed_delay_seconds histogram (publish on A -> applied on B, measured by B with the
wall clock) and each instance's count of online-read requests (background read rate).

Standard library only; one keep-alive connection to each instance. Prints a human-readable report
on stdout and one machine-readable VISIBILITY_RESULT line.
"""

import argparse
import http.client
import json
import os
import re
import sys
import time
import urllib.parse
from datetime import datetime, timezone

MARK = 1_000_000_000  # tenure_days of written rows: above anything rows.py seeds (<= 3650)
FEATURE = "customer_profile:tenure_days"
BUCKET = re.compile(r'^freshet_change_feed_delay_seconds_bucket\{[^}]*le="([^"]+)"[^}]*\}\s+(\S+)')
FEED_COUNT = re.compile(r"^freshet_change_feed_delay_seconds_count(?:\{[^}]*\})?\s+(\S+)")
ONLINE_COUNT = re.compile(r'^freshet_http_requests_seconds_count\{([^}]*)\}\s+(\S+)')


class Conn:
    """One keep-alive HTTP connection, reopened if the server closes it."""

    def __init__(self, url):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.conn = None

    def call(self, method, path, body=None):
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                headers = {"Content-Type": "application/json"} if body is not None else {}
                self.conn.request(method, path, body, headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def iso(micros):
    seconds, frac = divmod(micros, 1_000_000)
    stamp = datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{stamp}.{frac:06d}Z"


def scrape(conn):
    status, body = conn.call("GET", "/metrics")
    if status != 200:
        raise RuntimeError(f"/metrics answered {status}")
    buckets, feed_count, online = {}, 0.0, 0.0
    for line in body.decode().splitlines():
        m = BUCKET.match(line)
        if m:
            le = float("inf") if m.group(1) == "+Inf" else float(m.group(1))
            buckets[le] = buckets.get(le, 0.0) + float(m.group(2))
            continue
        m = FEED_COUNT.match(line)
        if m:
            feed_count += float(m.group(1))
            continue
        m = ONLINE_COUNT.match(line)
        if m and "online" in m.group(1):
            online += float(m.group(2))
    return {"buckets": buckets, "feed_count": feed_count, "online": online, "at": time.monotonic()}


def histogram_quantile(before, after, q):
    """Prometheus-style estimate from cumulative bucket deltas: linear inside the bucket."""
    les = sorted(after["buckets"])
    deltas = [after["buckets"][le] - before["buckets"].get(le, 0.0) for le in les]
    if not les or deltas[-1] <= 0:
        return None, None, 0
    total = deltas[-1]
    rank = q * total
    lower_le, lower_count = 0.0, 0.0
    for le, count in zip(les, deltas):
        if count >= rank:
            if le == float("inf"):
                return lower_le, le, int(total)
            inside = count - lower_count
            estimate = le if inside <= 0 else lower_le + (le - lower_le) * (rank - lower_count) / inside
            return estimate, le, int(total)
        lower_le, lower_count = le, count
    return None, None, int(total)


def percentile(sorted_values, q):
    """Nearest rank."""
    if not sorted_values:
        return float("nan")
    index = max(0, min(len(sorted_values) - 1, int(-(-q * len(sorted_values) // 1)) - 1))
    return sorted_values[index]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writer", required=True, help="instance A, e.g. http://127.0.0.1:18090")
    parser.add_argument("--reader", required=True, help="instance B, e.g. http://127.0.0.1:18091")
    parser.add_argument("--writes", type=int, default=10_000)
    parser.add_argument("--customers", type=int, default=500, help="written customers rotate over 1..C")
    parser.add_argument("--give-up-ms", type=float, default=2000, help="per write: stop polling B after this")
    args = parser.parse_args()

    a, b = Conn(args.writer), Conn(args.reader)
    before_a, before_b = scrape(a), scrape(b)
    latencies_us, writes_us, polls_total, first_read_new, invisible = [], [], 0, 0, 0
    tiers, older_after_newer = {}, 0
    last_event = 0
    started = time.monotonic()
    for i in range(1, args.writes + 1):
        customer = (i - 1) % args.customers + 1
        event = max(time.time_ns() // 1000, last_event + 1)
        last_event = event
        mark = MARK + i
        row = {"customer_id": customer, "event_timestamp": iso(event), "age": 18 + i % 70,
               "plan": "pro", "tenure_days": mark, "monthly_spend": 42.5}
        body = json.dumps({"rows": [row]}, separators=(",", ":"))
        sent = time.perf_counter_ns()
        status, answer = a.call("POST", "/v1/ingest/customer_profile", body)
        t0 = time.perf_counter_ns()
        if status != 200:
            raise RuntimeError(f"write {i} answered {status}: {answer[:300]!r}")
        writes_us.append((t0 - sent) / 1000)
        read = json.dumps({"features": [FEATURE], "entities": {"customer_id": [customer]}, "meta": "full"},
                          separators=(",", ":"))
        polls, seen = 0, False
        while True:
            status, answer = b.call("POST", "/v1/features/online", read)
            t1 = time.perf_counter_ns()
            polls += 1
            if status != 200:
                raise RuntimeError(f"read after write {i} answered {status}: {answer[:300]!r}")
            result = json.loads(answer)["results"][0]
            value = result["values"][FEATURE]
            if value == mark:
                seen = True
                tier = result["meta"][FEATURE]["tier"]
                tiers[tier] = tiers.get(tier, 0) + 1
                break
            if isinstance(value, int) and value > mark:
                older_after_newer += 1  # cannot happen: writes are sequential
            if (t1 - t0) / 1e6 > args.give_up_ms:
                break
        polls_total += polls
        if seen:
            latencies_us.append((t1 - t0) / 1000)
            if polls == 1:
                first_read_new += 1
        else:
            invisible += 1
    elapsed = time.monotonic() - started
    after_a, after_b = scrape(a), scrape(b)

    lat = sorted(latencies_us)
    p50, p90, p99 = (percentile(lat, q) for q in (0.50, 0.90, 0.99))
    worst = lat[-1] if lat else float("nan")
    if os.environ.get("VIS_DEBUG"):
        for le in sorted(after_b["buckets"]):
            print(f"bucket le={le} delta={after_b['buckets'][le] - before_b['buckets'].get(le, 0.0)}",
                  file=sys.stderr)
    wr = sorted(writes_us)
    feed50, _, feed_n = histogram_quantile(before_b, after_b, 0.50)
    feed99, feed99_le, _ = histogram_quantile(before_b, after_b, 0.99)
    window_a = after_a["at"] - before_a["at"]
    window_b = after_b["at"] - before_b["at"]
    # B's online-read count includes this client's own polls (and A's count nothing of ours).
    bg_a = (after_a["online"] - before_a["online"]) / window_a
    bg_b = (after_b["online"] - before_b["online"] - polls_total) / window_b

    def ms(x):
        return "n/a" if x is None else f"{x * 1000:.3f}"

    print(f"{args.writes} writes through A ({args.writer}), each read back through B ({args.reader}); "
          f"{elapsed:.1f} s")
    print("client-observed write->visible on B, t1 - t0 (includes one HTTP round trip to B):")
    print(f"  p50 {p50 / 1000:.3f} ms  p90 {p90 / 1000:.3f} ms  p99 {p99 / 1000:.3f} ms  max {worst / 1000:.3f} ms")
    print(f"  visible on B's first read: {first_read_new} of {len(lat)} "
          f"({100 * first_read_new / max(1, len(lat)):.1f}%); reads of B per write: "
          f"{polls_total / max(1, args.writes):.2f}; never visible within {args.give_up_ms:.0f} ms: {invisible}")
    print(f"  tier that served the first new value on B: "
          + ", ".join(f"{t} {n}" for t, n in sorted(tiers.items(), key=lambda kv: str(kv[0]))))
    print(f"writes through A (POST /v1/ingest, 1 row, until its 200): p50 {percentile(wr, 0.5) / 1000:.3f} ms"
          f"  p99 {percentile(wr, 0.99) / 1000:.3f} ms  max {wr[-1] / 1000:.3f} ms")
    print(f"B's freshet_change_feed_delay_seconds over the loop ({feed_n} changes; publish on A -> hot "
          f"tier updated on B, histogram estimate): p50 ≈ {ms(feed50)} ms, p99 ≈ {ms(feed99)} ms "
          f"(bucket le={ms(feed99_le)} ms)")
    print(f"background online reads during the loop: A {bg_a:.0f} req/s, B {bg_b:.0f} req/s "
          f"(B excludes this client's {polls_total} reads)")
    if older_after_newer:
        print(f"WARNING: B returned a value newer than the one just written {older_after_newer} times")
    print(
        f"VISIBILITY_RESULT writes={args.writes} visible={len(lat)} invisible={invisible}"
        f" p50_us={p50:.0f} p90_us={p90:.0f} p99_us={p99:.0f} max_us={worst:.0f}"
        f" first_read_new={first_read_new} polls={polls_total} seconds={elapsed:.3f}"
        f" feed_changes={feed_n} feed_p50_us={'' if feed50 is None else f'{feed50 * 1e6:.0f}'}"
        f" feed_p99_us={'' if feed99 is None else f'{feed99 * 1e6:.0f}'}"
        f" feed_p99_bucket_us={'' if feed99_le is None else f'{feed99_le * 1e6:.0f}'}"
        f" bg_a_rps={bg_a:.0f} bg_b_rps={bg_b:.0f}"
        f" write_p50_us={percentile(wr, 0.5):.0f} write_p99_us={percentile(wr, 0.99):.0f}"
    )
    return 1 if invisible else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, RuntimeError, http.client.HTTPException) as e:
        sys.exit(f"visibility.py: {e}")
