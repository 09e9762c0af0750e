#!/usr/bin/env python3
"""Card authorization events for Freshet's event-view benchmarks (aggregations-online.sh).

  events.py ingest  --url URL --view V --cards N --per-card K [--first-card F] [--days D]
                    events of cards F..F+N-1, K each, spread over the last D days (default 29, so
                    all fall in a 30-day window; a fraction such as 0.0007, about a minute, for a
                    live stream), sent in --batch-event batches over --clients
                    connections, timed end to end: validation, the Postgres append and the
                    aggregations' tiles. Prints INGEST_RESULT events=... seconds=... events_per_s=...
  events.py prime   --url URL --view V --feature V:AGG --cards N [--first-card F]
                    reads every card once, 100 a request, so that each has its tiles built before
                    a measured load (a card's first read builds them from Postgres).
  events.py ceiling --pg-url URL --table T --redis-url URL --prefix P --cards N --per-card K
                    [--first-card F] [--days D] [--clients C]: the same events as ingest with the
                    same arguments, without Freshet: the least a durable, tiled store must ask of
                    Postgres and Redis for them, at once. C psql processes COPY a share each into
                    T (the event history's shape and unique index, made by the caller), while
                    redis-cli --pipe adds one to each event's three tiles (HINCRBY of its minute,
                    hour and day in its card's hash under P). Files are written before the clock
                    starts. Prints CEILING_RESULT events=... seconds=... events_per_s=...
  events.py visible --writer URL_A --reader URL_B --view V --feature V:COUNT_1H --writes N
                    [--warmup W] [--card KEY] [--rotate R]: after W writes that are not counted
                    (a newly started B compiles its read path over the first ones), for each
                    write, to cards KEY-0 .. KEY-(R-1) in turn, the card's count read through B, one event written through A (stamped a
                    millisecond before it is sent), then B read in a tight loop until its count
                    has grown; t1 - t0 from A's 200 to B's answer showing it. Prints
                    VISIBLE_RESULT writes=... p50_ms=... p90_ms=... p99_ms=... max_ms=...
                    seen_on_first_read=... (writes B's first read after A's 200 showed)

Bodies are generated and encoded before the clock starts. Standard library only; shares rows.py's
keep-alive client.
"""

import argparse
import csv
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import datetime, timedelta, timezone

from rows import send_all

MICROS = 1_000_000


def iso(micros):
    return (datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=micros)).isoformat(
        timespec="microseconds").replace("+00:00", "Z")


def event(card, micros, rng):
    return {
        "card_id": card,
        "event_timestamp": iso(micros),
        "amount": None if rng.random() < 0.02 else rng.randrange(100, 50_000) / 100,
        "merchant_category": None if rng.random() < 0.05 else "m%d" % rng.randrange(50),
    }


def timed_events(first, cards, per_card, days, rng):
    """(micros, event) pairs, shuffled: what ingest sends and ceiling writes."""
    now = time.time_ns() // 1000
    oldest = now - int(days * 86400 * MICROS)
    timed = []
    for card in range(first, first + cards):
        for _ in range(per_card):
            micros = rng.randrange(oldest, now - MICROS)
            timed.append((micros, event(str(card), micros, rng)))
    rng.shuffle(timed)
    return timed


def ingest_jobs(view, first, cards, per_card, days, batch, rng):
    events = [e for _, e in timed_events(first, cards, per_card, days, rng)]
    return [(view, json.dumps({"rows": events[i:i + batch]}, separators=(",", ":")).encode(),
             len(events[i:i + batch])) for i in range(0, len(events), batch)]


class Conn:
    def __init__(self, url):
        parsed = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)

    def post(self, path, body):
        self.conn.request("POST", path, json.dumps(body).encode(), {"Content-Type": "application/json"})
        response = self.conn.getresponse()
        answer = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}: {answer[:300]!r}")
        return json.loads(answer)


def resp(*words):
    return ("*%d\r\n" % len(words) + "".join(
        "$%d\r\n%s\r\n" % (len(w.encode()), w) for w in words)).encode()


def ceiling(args, rng):
    timed = timed_events(args.first_card, args.cards, args.per_card, args.days, rng)
    work = tempfile.mkdtemp(prefix="freshet-ceiling-")
    ingested = iso(time.time_ns() // 1000)
    shares = []
    for c in range(args.clients):
        path = os.path.join(work, "events-%d.csv" % c)
        with open(path, "w", newline="") as out:
            rows = csv.writer(out)
            for seq, (_, e) in enumerate(timed[c::args.clients]):
                values = {k: v for k, v in e.items() if k not in ("card_id", "event_timestamp")}
                rows.writerow([args.view, e["card_id"], e["event_timestamp"], ingested, seq,
                               json.dumps(values, separators=(",", ":"))])
        shares.append(path)
    tiles = os.path.join(work, "tiles.resp")
    with open(tiles, "wb") as out:
        for micros, e in timed:
            minute = micros // (60 * MICROS)
            key = args.prefix + e["card_id"]
            for field in ("m%d" % minute, "h%d" % (minute // 60), "d%d" % (minute // 1440)):
                out.write(resp("HINCRBY", key, field, "1"))
    copy = "\\copy %s (view_name, entity_key, event_ts, ingested_at, seq, event_values) FROM '%%s' (FORMAT csv)" % args.table
    started = time.perf_counter()
    running = [subprocess.Popen(["psql", args.pg_url, "-X", "-q", "-v", "ON_ERROR_STOP=1",
                                 "-c", copy % path]) for path in shares]
    with open(tiles, "rb") as pipe:
        running.append(subprocess.Popen(["redis-cli", "-u", args.redis_url, "--pipe"], stdin=pipe,
                                        stdout=subprocess.DEVNULL))
        failed = [p.args for p in running if p.wait() != 0]
    seconds = time.perf_counter() - started
    for path in shares + [tiles]:
        os.remove(path)
    os.rmdir(work)
    if failed:
        raise RuntimeError("ceiling: %s failed" % failed)
    print(f"CEILING_RESULT events={len(timed)} clients={args.clients} seconds={seconds:.3f}"
          f" events_per_s={len(timed) / seconds:.0f}")


def count(reader, feature, card):
    answer = reader.post("/v1/features/online",
                         {"features": [feature], "entities": {"card_id": [card]}})
    return answer["results"][0]["values"][feature]


def prime(args):
    reader = Conn(args.url)
    cards = [str(c) for c in range(args.first_card, args.first_card + args.cards)]
    for i in range(0, len(cards), 100):
        reader.post("/v1/features/online",
                    {"features": [args.feature], "entities": {"card_id": cards[i:i + 100]}})


def visible(args, rng):
    writer, reader = Conn(args.writer), Conn(args.reader)
    waits = []
    first_read = 0
    for n in range(args.warmup + args.writes):
        card = f"{args.card}-{n % args.rotate}"
        before = count(reader, args.feature, card)
        now = time.time_ns() // 1000 - 1000
        writer.post("/v1/ingest/" + args.view, {"rows": [event(card, now, rng)]})
        t0 = time.perf_counter()
        reads = 1
        while count(reader, args.feature, card) <= before:
            reads += 1
        if n >= args.warmup:
            waits.append((time.perf_counter() - t0) * 1000)
            first_read += reads == 1
    waits.sort()

    def pct(p):
        return waits[min(len(waits) - 1, int(p / 100 * len(waits)))]

    print(f"VISIBLE_RESULT writes={len(waits)} p50_ms={pct(50):.2f} p90_ms={pct(90):.2f}"
          f" p99_ms={pct(99):.2f} max_ms={waits[-1]:.2f} seen_on_first_read={first_read}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["ingest", "prime", "visible", "ceiling"])
    parser.add_argument("--url")
    parser.add_argument("--writer")
    parser.add_argument("--reader")
    parser.add_argument("--view", required=True)
    parser.add_argument("--feature")
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--first-card", type=int, default=1)
    parser.add_argument("--per-card", type=int, default=20)
    parser.add_argument("--days", type=float, default=29)
    parser.add_argument("--batch", type=int, default=1000, help="events per request")
    parser.add_argument("--clients", type=int, default=4, help="concurrent connections")
    parser.add_argument("--pg-url", help="ceiling: the Postgres to COPY into")
    parser.add_argument("--table", help="ceiling: the table, the event history's shape")
    parser.add_argument("--redis-url", help="ceiling: the Redis of the tiles")
    parser.add_argument("--prefix", help="ceiling: the tiles' key prefix")
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=200,
                        help="visible: writes before the measured ones (not counted)")
    parser.add_argument("--card", default="visibility-card",
                        help="visible: the cards written are CARD-0 .. CARD-(ROTATE-1), in turn")
    parser.add_argument("--rotate", type=int, default=100,
                        help="visible: how many cards the writes go round")
    args = parser.parse_args()
    rng = random.Random(42)
    if args.command == "visible":
        visible(args, rng)
        return
    if args.command == "prime":
        prime(args)
        return
    if args.command == "ceiling":
        ceiling(args, rng)
        return
    jobs = ingest_jobs(args.view, args.first_card, args.cards, args.per_card, args.days, args.batch, rng)
    events, seconds = send_all(args.url, jobs, args.clients)
    print(f"INGEST_RESULT events={events} batches={len(jobs)} batch={args.batch} clients={args.clients}"
          f" seconds={seconds:.3f} events_per_s={events / seconds:.0f}")


if __name__ == "__main__":
    try:
        main()
    except (OSError, RuntimeError) as e:
        sys.exit(f"events.py: {e}")
