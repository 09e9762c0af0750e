package io.freshet.registry;

import java.util.Locale;
import java.util.Optional;

/** What a read does with a value older than the view's {@code stale} threshold. */
public enum OnRotten {
  SERVE,
  NULLIFY,
  REJECT;

  public static Optional<OnRotten> parse(String text) {
    for (OnRotten policy : values()) {
      if (policy.yamlName().equals(text)) {
        return Optional.of(policy);
      }
    }
    return Optional.empty();
  }

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
