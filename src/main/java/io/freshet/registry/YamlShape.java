package io.freshet.registry;

import java.util.HashSet;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;

/**
 * Refuses YAML whose shape alone would exhaust the loader before any schema rule applies: nesting
 * deeper than a schema ever needs (the composer recurses once per level, so a few thousand levels
 * overflow the stack), and more aliases of lists or mappings than the composer allows (each can
 * stand for an exponentially large tree: the billion-laughs bomb), reported at the line where the
 * limit is crossed. It reads the parser's events, which takes no recursion, before anything is
 * composed.
 */
final class YamlShape {

  /** A schema nests six levels (document, section, view, features, feature, values). */
  static final int MAX_DEPTH = 32;

  /** snakeyaml-engine's own limit, which would otherwise end the load without a line. */
  static final int MAX_COLLECTION_ALIASES = 50;

  private YamlShape() {}

  static boolean admit(String text, LoadSettings settings, String file, Problems problems) {
    Set<Anchor> collections = new HashSet<>();
    int depth = 0;
    int aliases = 0;
    for (Event event : new Parse(settings).parseString(text)) {
      if (event instanceof CollectionStartEvent start) {
        if (++depth > MAX_DEPTH) {
          problems.add(
              file,
              line(event),
              "nested more than " + MAX_DEPTH + " levels deep (lists or mappings)");
          return false;
        }
        start.getAnchor().ifPresent(collections::add);
      } else if (event instanceof CollectionEndEvent) {
        depth--;
      } else if (event instanceof AliasEvent alias
          && collections.contains(alias.getAlias())
          && ++aliases > MAX_COLLECTION_ALIASES) {
        problems.add(
            file,
            line(event),
            "more than " + MAX_COLLECTION_ALIASES + " aliases of lists or mappings in one file");
        return false;
      }
    }
    return true;
  }

  private static int line(Event event) {
    return event.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
  }
}
