package io.freshet.registry;

import java.util.List;
import java.util.Optional;

/**
 * The named list of features and transformations one model consumes, and how it is watched: {@code
 * monitoring} is null for a service that is not.
 */
public record FeatureServiceDef(
    String name, List<ServiceItem> items, String description, MonitoringDef monitoring) {

  public FeatureServiceDef {
    items = List.copyOf(items);
  }

  public Optional<MonitoringDef> monitored() {
    return Optional.ofNullable(monitoring);
  }
}
