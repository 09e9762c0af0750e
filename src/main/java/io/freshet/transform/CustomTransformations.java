package io.freshet.transform;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The {@link CustomTransformation} providers on the class path, found once, by name. */
public final class CustomTransformations {

  private static final Map<String, CustomTransformation> BY_NAME = load();

  private CustomTransformations() {}

  public static Optional<CustomTransformation> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  private static Map<String, CustomTransformation> load() {
    Map<String, CustomTransformation> byName = new HashMap<>();
    for (CustomTransformation provider : ServiceLoader.load(CustomTransformation.class)) {
      CustomTransformation earlier = byName.putIfAbsent(provider.name(), provider);
      if (earlier != null) {
        // Two jars claiming one name would make which code runs depend on class-path order.
        throw new IllegalStateException(
            "custom transformations "
                + earlier.getClass().getName()
                + " and "
                + provider.getClass().getName()
                + " are both named '"
                + provider.name()
                + "'");
      }
    }
    return Map.copyOf(byName);
  }
}
