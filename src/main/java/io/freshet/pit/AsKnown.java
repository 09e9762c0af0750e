package io.freshet.pit;

import io.freshet.model.EnumNames;
import java.util.Optional;

/** Which records a snapshot row may see, by when Freshet accepted them. */
public enum AsKnown {
  /** Every record ingested at or before the snapshot's cutoff, backfills included. */
  CUTOFF,

  /**
   * Only records ingested at or before the row's own time (and the cutoff): what serving could have
   * known when the row happened.
   */
  ROW;

  public static Optional<AsKnown> parse(String text) {
    return EnumNames.parse(AsKnown.class, text);
  }

  public String wireName() {
    return EnumNames.name(this);
  }
}
