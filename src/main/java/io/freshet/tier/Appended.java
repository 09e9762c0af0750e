package io.freshet.tier;

import java.util.Optional;

/**
 * What appending a batch did: wrote it, with the repair ticket its keys are logged under until
 * Redis takes them, or wrote nothing because its Idempotency-Key was seen before, with the first
 * answer.
 */
public record Appended(Optional<FirstAnswer> firstAnswer, long repairTicket) {

  static Appended written(long repairTicket) {
    return new Appended(Optional.empty(), repairTicket);
  }

  static Appended answeredBefore(FirstAnswer first) {
    return new Appended(Optional.of(first), 0);
  }
}
