package io.freshet.transform;

import io.freshet.transform.Nodes.BoolNode;
import io.freshet.transform.Nodes.DoubleNode;
import io.freshet.transform.Nodes.IntNode;
import io.freshet.transform.Nodes.StringNode;
import java.util.Locale;
import java.util.Optional;

/**
 * The ordering operators as compiled nodes: Java's primitive comparisons (so any comparison with
 * NaN is false), and {@link String#compareTo} for strings, as the interpreter does.
 */
enum Comparison {
  LESS,
  LESS_EQUALS,
  GREATER,
  GREATER_EQUALS;

  /** By its name in CEL's overload ids: {@code less}, {@code less_equals}, ... */
  static Optional<Comparison> named(String name) {
    for (Comparison comparison : values()) {
      if (comparison.name().toLowerCase(Locale.ROOT).equals(name)) {
        return Optional.of(comparison);
      }
    }
    return Optional.empty();
  }

  BoolNode of(IntNode a, IntNode b) {
    return switch (this) {
      case LESS -> row -> a.eval(row) < b.eval(row);
      case LESS_EQUALS -> row -> a.eval(row) <= b.eval(row);
      case GREATER -> row -> a.eval(row) > b.eval(row);
      case GREATER_EQUALS -> row -> a.eval(row) >= b.eval(row);
    };
  }

  BoolNode of(DoubleNode a, DoubleNode b) {
    return switch (this) {
      case LESS -> row -> a.eval(row) < b.eval(row);
      case LESS_EQUALS -> row -> a.eval(row) <= b.eval(row);
      case GREATER -> row -> a.eval(row) > b.eval(row);
      case GREATER_EQUALS -> row -> a.eval(row) >= b.eval(row);
    };
  }

  BoolNode of(StringNode a, StringNode b) {
    return switch (this) {
      case LESS -> row -> a.eval(row).compareTo(b.eval(row)) < 0;
      case LESS_EQUALS -> row -> a.eval(row).compareTo(b.eval(row)) <= 0;
      case GREATER -> row -> a.eval(row).compareTo(b.eval(row)) > 0;
      case GREATER_EQUALS -> row -> a.eval(row).compareTo(b.eval(row)) >= 0;
    };
  }
}
