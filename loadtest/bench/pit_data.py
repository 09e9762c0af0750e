#!/usr/bin/env python3
"""Data for pit.sh: churn histories and label rows, written once and read by every engine.

  pit_data.py --out DIR --rows N --history N --entities N [--days D] [--seed S] [--now MICROS]

Writes into DIR:
  history.tsv   view_name, entity_key, event_ts, ingested_at, feature_values (Postgres COPY text
                format, also read by DuckDB): HISTORY rows for each of customer_profile,
                customer_activity and customer_support, spread evenly over ENTITIES customers,
                event times at microsecond precision over the last DAYS days, distinct per
                (view, customer); ingested_at 0-10 minutes after the event, never after NOW.
  labels.csv    row_id, entity_key, ts: ROWS label rows (random customer, random time from DAYS + 2
                days ago to NOW), for the SQL engines.
  one.ndjson    the same rows as a Freshet NDJSON snapshot request for customer_profile's four
                features, and three.ndjson for the ten features of the three views, both with
                apply_freshness (the rule the SQL engines apply).

Timestamps in the TSV and CSV are UTC without a zone ("2026-11-24 10:00:00.123456"; load them
with the session time zone UTC); the NDJSON requests carry the same instants with a Z. Prints
one key=value line: cutoff (NOW, after every ingested_at) and the row counts. Standard library.
"""

import argparse
import json
import os
import random
import time

MICROS = 1_000_000
PLANS = ["basic", "pro", "enterprise"]
VIEWS = {
    "customer_profile": ["age", "plan", "tenure_days", "monthly_spend"],
    "customer_activity": ["sessions_7d", "minutes_7d", "last_login_days"],
    "customer_support": ["tickets_30d", "open_tickets", "csat_score"],
}


def values(view, rng):
    r = rng.random
    if view == "customer_profile":
        spend = "null" if r() < 0.1 else "%.2f" % (5 + r() * 495)
        return '{"age": %d, "plan": "%s", "tenure_days": %d, "monthly_spend": %s}' % (
            rng.randint(18, 90), PLANS[rng.randrange(3)], rng.randrange(3651), spend)
    if view == "customer_activity":
        login = "null" if r() < 0.05 else str(rng.randrange(31))
        return '{"sessions_7d": %d, "minutes_7d": %.1f, "last_login_days": %s}' % (
            rng.randrange(61), r() * 900, login)
    csat = "null" if r() < 0.3 else "%.1f" % (1 + r() * 4)
    return '{"tickets_30d": %d, "open_tickets": %d, "csat_score": %s}' % (
        rng.randrange(13), rng.randrange(4), csat)


class Formatter:
    """Micros since the epoch to 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC), caching the date-time part."""

    def __init__(self):
        self.second = None
        self.prefix = None

    def __call__(self, micros):
        second, fraction = divmod(micros, MICROS)
        if second != self.second:
            self.second = second
            self.prefix = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(second))
        return "%s.%06d" % (self.prefix, fraction)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--rows", type=int, required=True)
    p.add_argument("--history", type=int, required=True, help="rows per view")
    p.add_argument("--entities", type=int, required=True)
    p.add_argument("--days", type=int, default=30)
    p.add_argument("--seed", type=int, default=20261124)
    p.add_argument("--now", type=int, default=None, help="micros since the epoch")
    a = p.parse_args()
    if a.history < a.entities:
        p.error("--history must be at least --entities")
    now = a.now if a.now is not None else time.time_ns() // 1000
    newest = now - 60 * MICROS
    oldest = now - a.days * 86400 * MICROS
    rng = random.Random(a.seed)
    fmt = Formatter()

    with open(os.path.join(a.out, "history.tsv"), "w", buffering=1 << 20) as out:
        for view in VIEWS:
            per, extra = divmod(a.history, a.entities)
            for entity in range(1, a.entities + 1):
                n = per + (1 if entity <= extra else 0)
                key = str(entity)
                for event in rng.sample(range(oldest, newest), n):
                    ingested = min(event + rng.randrange(600 * MICROS), now - MICROS)
                    out.write("%s\t%s\t%s\t%s\t%s\n" % (
                        view, key, fmt(event), fmt(ingested), values(view, rng)))

    # apply_freshness: the SQL engines null customer_activity's values past its 6h stale threshold
    # (on_rotten: nullify), as serving would; Freshet does so in a snapshot only when asked.
    options = {
        "one": {"features": ["customer_profile:" + f for f in VIEWS["customer_profile"]],
                "format": "jsonl", "apply_freshness": True},
        "three": {"features": [v + ":" + f for v, fs in VIEWS.items() for f in fs],
                  "format": "jsonl", "apply_freshness": True},
    }
    first = oldest - 2 * 86400 * MICROS
    with open(os.path.join(a.out, "labels.csv"), "w", buffering=1 << 20) as csv, \
            open(os.path.join(a.out, "one.ndjson"), "w", buffering=1 << 20) as one, \
            open(os.path.join(a.out, "three.ndjson"), "w", buffering=1 << 20) as three:
        csv.write("row_id,entity_key,ts\n")
        one.write(json.dumps(options["one"], separators=(",", ":")) + "\n")
        three.write(json.dumps(options["three"], separators=(",", ":")) + "\n")
        for row in range(a.rows):
            entity = rng.randint(1, a.entities)
            ts = fmt(rng.randrange(first, now))
            csv.write("%d,%d,%s\n" % (row, entity, ts))
            line = '{"customer_id":%d,"timestamp":"%sZ"}\n' % (entity, ts.replace(" ", "T"))
            one.write(line)
            three.write(line)

    cutoff = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now // MICROS)) + ".%06dZ" % (now % MICROS)
    print("cutoff=%s rows=%d history_per_view=%d entities=%d" % (cutoff, a.rows, a.history, a.entities))


if __name__ == "__main__":
    main()
