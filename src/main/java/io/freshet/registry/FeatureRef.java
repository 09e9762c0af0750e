package io.freshet.registry;

import java.util.Optional;

/** A feature by its full name {@code view:feature}. */
public record FeatureRef(String view, String feature) {

  public static Optional<FeatureRef> parse(String fullName) {
    int colon = fullName.indexOf(':');
    if (colon <= 0 || colon == fullName.length() - 1 || fullName.indexOf(':', colon + 1) >= 0) {
      return Optional.empty();
    }
    return Optional.of(new FeatureRef(fullName.substring(0, colon), fullName.substring(colon + 1)));
  }

  public String fullName() {
    return view + ":" + feature;
  }

  @Override
  public String toString() {
    return fullName();
  }
}
