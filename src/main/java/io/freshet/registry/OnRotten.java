package io.freshet.registry;

import io.freshet.model.EnumNames;
import java.util.Optional;

/** What a read does with a value older than the view's {@code stale} threshold. */
public enum OnRotten {
  SERVE,
  NULLIFY,
  REJECT;

  public static Optional<OnRotten> parse(String text) {
    return EnumNames.parse(OnRotten.class, text);
  }

  public String yamlName() {
    return EnumNames.name(this);
  }
}
