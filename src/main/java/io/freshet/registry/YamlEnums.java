package io.freshet.registry;

import java.util.Locale;
import java.util.Optional;

/** Schema enums are written in lower case: {@code int64}, {@code nullify}. */
final class YamlEnums {

  private YamlEnums() {}

  static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
    for (E value : type.getEnumConstants()) {
      if (name(value).equals(text)) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
