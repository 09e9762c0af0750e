package io.freshet.served;

import io.freshet.selection.FeatureSelection;
import java.util.List;

/**
 * The sampled rows of one online read of a monitored service, served at {@code servedMicros}:
 * {@code counted} go into the drift counts, {@code replayed} through the point-in-time engine.
 */
public record ServedRows(
    String service,
    FeatureSelection selection,
    long servedMicros,
    List<ServedRow> counted,
    List<ServedRow> replayed) {

  public ServedRows {
    counted = List.copyOf(counted);
    replayed = List.copyOf(replayed);
  }
}
