package io.freshet.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The declarations of one kind across all files, first one wins. Remembers where each name was
 * declared so a duplicate can point at the original.
 */
final class NameTable<T> {

  private final String kind;
  private final Map<String, T> byName = new HashMap<>();
  private final Map<String, String> declaredAt = new HashMap<>();
  private final List<T> inOrder = new ArrayList<>();

  NameTable(String kind) {
    this.kind = kind;
  }

  void add(String name, T definition, YamlMap at) {
    String original = declaredAt.get(name);
    if (original != null) {
      at.problem("name", "duplicate " + kind + " '" + name + "', first declared at " + original);
      return;
    }
    declaredAt.put(name, at.file() + ":" + at.line("name"));
    byName.put(name, definition);
    inOrder.add(definition);
  }

  Optional<T> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  List<T> values() {
    return inOrder;
  }
}
