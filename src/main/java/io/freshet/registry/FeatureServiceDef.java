package io.freshet.registry;

import java.util.List;

/** The named list of features and transformations one model consumes. */
public record FeatureServiceDef(String name, List<ServiceItem> items, String description) {

  public FeatureServiceDef {
    items = List.copyOf(items);
  }
}
