package io.freshet.loadtest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What each writer has written and what Freshet has acknowledged, per pair of writer and reader
 * (one customer per pair). A write gets an event time later than every earlier write of its pair
 * and a sequence number in the same order, so "the newest record" is also "the highest sequence". A
 * reader takes the pair's acknowledged floor before it sends its read: any record it then gets must
 * be at least that new, or an acknowledged write was lost or shadowed by an older one.
 */
final class AcknowledgedWrites {

  /** One row to write: the pair's customer, its event time in microseconds, its sequence. */
  record Write(int pair, long eventMicros, long sequence) {}

  private final long[] lastMicros;
  private final long[] lastSequence;
  private final AtomicLongArray floorMicros;
  private final AtomicLongArray floorSequence;

  AcknowledgedWrites(int pairs) {
    lastMicros = new long[pairs];
    lastSequence = new long[pairs];
    floorMicros = new AtomicLongArray(pairs);
    floorSequence = new AtomicLongArray(pairs);
  }

  int pairs() {
    return lastMicros.length;
  }

  /** The next write of {@code pair}: now, or one microsecond after its previous write. */
  synchronized Write next(int pair) {
    long now = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    lastMicros[pair] = Math.max(now, lastMicros[pair] + 1);
    lastSequence[pair]++;
    return new Write(pair, lastMicros[pair], lastSequence[pair]);
  }

  /** Freshet answered 200 to {@code write}: it is durable and must be visible from now on. */
  void acknowledged(Write write) {
    floorMicros.accumulateAndGet(write.pair(), write.eventMicros(), Math::max);
    floorSequence.accumulateAndGet(write.pair(), write.sequence(), Math::max);
  }

  long floorMicros(int pair) {
    return floorMicros.get(pair);
  }

  long floorSequence(int pair) {
    return floorSequence.get(pair);
  }

  static long micros(String isoInstant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(isoInstant));
  }

  static String iso(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).toString();
  }
}
