package io.freshet.registry;

import io.freshet.model.EnumNames;
import java.util.Optional;

/**
 * What a view keeps of its rows: {@code records}, the newest per entity wins; {@code events}, every
 * row is kept and counted by the view's aggregations.
 */
public enum ViewKind {
  RECORDS,
  EVENTS;

  public static Optional<ViewKind> parse(String text) {
    return EnumNames.parse(ViewKind.class, text);
  }

  public String yamlName() {
    return EnumNames.name(this);
  }
}
