package io.freshet.model;

import java.util.Locale;
import java.util.Optional;

/**
 * Enums are written in lower case wherever a user writes them, in schema files and in requests:
 * {@code int64}, {@code nullify}, {@code csv}, {@code shortest}.
 */
public final class EnumNames {

  private EnumNames() {}

  public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
    for (E value : type.getEnumConstants()) {
      if (name(value).equals(text)) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  public static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
