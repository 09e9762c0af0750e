#!/usr/bin/env python3
"""Data for aggregations.sh: card authorization events and label rows, written once, read by
Freshet (through COPY and HTTP) and DuckDB alike.

  agg_data.py --out DIR --rows N --events N --entities N --view NAME [--days D] [--seed S]

Writes into DIR:
  events.tsv      view_name, entity_key, event_ts, ingested_at, seq, event_values (Postgres COPY
                  text format, also read by DuckDB): EVENTS events spread evenly over ENTITIES
                  cards, event times at microsecond precision over the last DAYS days (distinct per
                  card), ingested 0-10 minutes after the event and never after NOW; amount with two
                  decimals (2% null), merchant_category one of 50 (5% null).
  labels.csv      row_id, entity_key, ts: ROWS label rows, a random card at a random time in the
                  last 30 days, for DuckDB.
  request.ndjson  the same rows as a Freshet NDJSON snapshot request (row_id passed through) for the
                  view's seven aggregations.

Prints one key=value line: cutoff (NOW, after every ingested_at) and the counts. Standard library only (and
pit_data.py's timestamp formatter).
"""

import argparse
import json
import os
import random
import time

from pit_data import Formatter

MICROS = 1_000_000
AGGREGATIONS = ["txn_count_1h", "amount_sum_1d", "amount_mean_7d", "amount_max_30d",
                "amount_stddev_7d", "last_category", "categories_7d"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--rows", type=int, required=True)
    p.add_argument("--events", type=int, required=True)
    p.add_argument("--entities", type=int, required=True)
    p.add_argument("--view", required=True)
    p.add_argument("--days", type=int, default=60)
    p.add_argument("--seed", type=int, default=20261206)
    a = p.parse_args()
    if a.days < 31:
        p.error("--days must cover a 30-day window before the oldest label time: at least 31")
    now = time.time_ns() // 1000
    newest = now - 60 * MICROS
    oldest = now - a.days * 86400 * MICROS
    rng = random.Random(a.seed)
    fmt = Formatter()

    with open(os.path.join(a.out, "events.tsv"), "w", buffering=1 << 20) as out:
        per, extra = divmod(a.events, a.entities)
        for entity in range(1, a.entities + 1):
            n = per + (1 if entity <= extra else 0)
            key = str(entity)
            for event in sorted(rng.sample(range(oldest, newest), n)):
                ingested = min(event + rng.randrange(600 * MICROS), now - MICROS)
                amount = "null" if rng.random() < 0.02 else "%.2f" % (rng.randrange(100, 50000) / 100)
                category = "null" if rng.random() < 0.05 else '"m%d"' % rng.randrange(50)
                out.write('%s\t%s\t%s\t%s\t0\t{"amount": %s, "merchant_category": %s}\n' % (
                    a.view, key, fmt(event), fmt(ingested), amount, category))

    options = {"features": [a.view + ":" + name for name in AGGREGATIONS], "format": "jsonl"}
    first = now - 30 * 86400 * MICROS
    with open(os.path.join(a.out, "labels.csv"), "w", buffering=1 << 20) as csv, \
            open(os.path.join(a.out, "request.ndjson"), "w", buffering=1 << 20) as request:
        csv.write("row_id,entity_key,ts\n")
        request.write(json.dumps(options, separators=(",", ":")) + "\n")
        for row in range(a.rows):
            entity = rng.randint(1, a.entities)
            ts = fmt(rng.randrange(first, now))
            csv.write("%d,%d,%s\n" % (row, entity, ts))
            request.write('{"card_id":"%d","timestamp":"%sZ","row_id":%d}\n' % (
                entity, ts.replace(" ", "T"), row))

    cutoff = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now // MICROS)) + ".%06dZ" % (now % MICROS)
    print("cutoff=%s rows=%d events=%d entities=%d" % (cutoff, a.rows, a.events, a.entities))


if __name__ == "__main__":
    main()
