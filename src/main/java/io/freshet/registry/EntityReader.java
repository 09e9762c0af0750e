package io.freshet.registry;

import io.freshet.model.ValueType;
import java.util.List;
import java.util.Optional;

/** Reads {@code entities} items. */
final class EntityReader {

  private static final List<String> KEYS = List.of("name", "join_key", "type", "description");
  private static final List<ValueType> KEY_TYPES = List.of(ValueType.INT64, ValueType.STRING);

  private EntityReader() {}

  static void read(YamlMap entity, NameTable<EntityDef> entities) {
    entity.allowOnly(KEYS);
    Optional<String> name = entity.name("name");
    Optional<String> joinKey = entity.name("join_key");
    Optional<ValueType> keyType = entity.text("type", true).flatMap(text -> keyType(entity, text));
    String description = entity.text("description", false).orElse(null);
    name.ifPresent(
        n ->
            entities.add(
                n,
                new EntityDef(n, joinKey.orElse(null), keyType.orElse(null), description),
                entity));
  }

  private static Optional<ValueType> keyType(YamlMap entity, String text) {
    return entity.enumValue("type", "join key type", text, ValueType.class, KEY_TYPES);
  }
}
