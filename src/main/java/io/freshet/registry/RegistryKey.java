package io.freshet.registry;

import java.util.Locale;

/** A registry object's identity for versioning: its kind and its name. */
public record RegistryKey(Kind kind, String name) {

  /** The four kinds of registry object. */
  public enum Kind {
    ENTITY,
    FEATURE_VIEW,
    TRANSFORMATION,
    FEATURE_SERVICE;

    public String dbName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
