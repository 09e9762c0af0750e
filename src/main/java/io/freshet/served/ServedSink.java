package io.freshet.served;

import io.freshet.registry.MonitoringDef;
import java.util.Optional;

/**
 * Where the online read path hands what it served. It is called after the response is written, and
 * it must not block: it only queues.
 */
public interface ServedSink {

  /** How the service is watched; empty for a service that is not (or a list of features). */
  Optional<MonitoringDef> watching(String service);

  void served(ServedRows rows);

  /** A sink for an instance that watches nothing. */
  static ServedSink none() {
    return new ServedSink() {
      @Override
      public Optional<MonitoringDef> watching(String service) {
        return Optional.empty();
      }

      @Override
      public void served(ServedRows rows) {}
    };
  }
}
