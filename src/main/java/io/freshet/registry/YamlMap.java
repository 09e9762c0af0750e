package io.freshet.registry;

import io.freshet.model.EnumNames;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One YAML mapping of a schema file, read key by key. Every accessor reports what is wrong with its
 * key to {@link Problems}, with the key's line, and answers empty so the caller carries on.
 */
final class YamlMap {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final int MAX_NUMERAL = 64;

  /** float64's smallest subnormal is about 4.9e-324; no bound needs a finer step. */
  private static final int MAX_SCALE = 400;

  private final String file;
  private final Node node;
  private final String what;
  private final Problems problems;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

  private YamlMap(String file, Node node, String what, Problems problems) {
    this.file = file;
    this.node = node;
    this.what = what;
    this.problems = problems;
  }

  /** Reads {@code node} as a mapping describing {@code what}, or reports that it is not one. */
  static Optional<YamlMap> of(Node node, String file, String what, Problems problems) {
    if (!(node instanceof MappingNode)) {
      problems.add(file, Problems.line(node), what + " must be a mapping of keys to values");
      return Optional.empty();
    }
    YamlMap map = new YamlMap(file, node, what, problems);
    for (NodeTuple tuple : ((MappingNode) node).getValue()) {
      Node key = tuple.getKeyNode();
      if (!(key instanceof ScalarNode)) {
        map.problem(key, "a key in " + what + " must be a plain word");
      } else if (map.entries.putIfAbsent(((ScalarNode) key).getValue(), tuple) != null) {
        map.problem(key, "duplicate key '" + ((ScalarNode) key).getValue() + "' in " + what);
      }
    }
    return Optional.of(map);
  }

  static boolean isName(String text) {
    return NAME.matcher(text).matches();
  }

  String file() {
    return file;
  }

  int line() {
    return Problems.line(node);
  }

  /** The line of {@code key}, or of the whole mapping when the key is absent. */
  int line(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? line() : Problems.line(tuple.getKeyNode());
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  /** The enum constant {@code text} names, or a problem on {@code key} listing the allowed ones. */
  <E extends Enum<E>> Optional<E> enumValue(
      String key, String label, String text, Class<E> type, java.util.Collection<E> allowed) {
    Optional<E> value = EnumNames.parse(type, text).filter(allowed::contains);
    if (value.isEmpty()) {
      StringBuilder names = new StringBuilder();
      for (E e : allowed) {
        names.append(names.length() == 0 ? "" : ", ").append(EnumNames.name(e));
      }
      problem(key, "unknown " + label + " '" + text + "' (allowed: " + names + ")");
    }
    return value;
  }

  void problem(String key, String reason) {
    problems.add(file, line(key), reason);
  }

  void problem(Node at, String reason) {
    problems.add(file, Problems.line(at), reason);
  }

  void problem(String reason) {
    problems.add(file, line(), reason);
  }

  /** Reports every key not in {@code allowed}, at that key's line. */
  void allowOnly(List<String> allowed) {
    entries.forEach(
        (key, tuple) -> {
          if (!allowed.contains(key)) {
            problem(
                tuple.getKeyNode(),
                "unknown key '"
                    + key
                    + "' in "
                    + what
                    + " (allowed: "
                    + String.join(", ", allowed)
                    + ")");
          }
        });
  }

  Optional<String> text(String key, boolean required) {
    return scalar(key, required).map(ScalarNode::getValue);
  }

  /** A required name matching {@code [a-z][a-z0-9_]*}. */
  Optional<String> name(String key) {
    return text(key, true).filter(text -> checkName(key, text));
  }

  boolean checkName(String key, String text) {
    if (isName(text)) {
      return true;
    }
    problem(key, "'" + text + "' is not a valid name: names are [a-z][a-z0-9_]*");
    return false;
  }

  Optional<Boolean> bool(String key) {
    Optional<ScalarNode> scalar = scalar(key, false);
    if (scalar.isPresent() && !Tag.BOOL.equals(scalar.get().getTag())) {
      problem(key, "'" + key + "' must be true or false, not '" + scalar.get().getValue() + "'");
      return Optional.empty();
    }
    return scalar.map(value -> Boolean.parseBoolean(value.getValue()));
  }

  /** A finite number written as a YAML int or float, within float64's range. */
  Optional<BigDecimal> number(String key) {
    Optional<ScalarNode> scalar = scalar(key, false);
    if (scalar.isEmpty()) {
      return Optional.empty();
    }
    Tag tag = scalar.get().getTag();
    Optional<BigDecimal> value =
        Tag.INT.equals(tag) || Tag.FLOAT.equals(tag) ? decimal(scalar.get()) : Optional.empty();
    if (value.isEmpty()) {
      problem(
          key,
          "'"
              + key
              + "' must be a finite number within the float64 range, not '"
              + scalar.get().getValue()
              + "'");
    }
    return value;
  }

  /** An integer within {@code [min, max]}. */
  Optional<Integer> integer(String key, int min, int max) {
    Optional<ScalarNode> scalar = scalar(key, false);
    if (scalar.isEmpty()) {
      return Optional.empty();
    }
    Optional<BigDecimal> value =
        Tag.INT.equals(scalar.get().getTag()) ? decimal(scalar.get()) : Optional.empty();
    if (value.isPresent()
        && value.get().compareTo(BigDecimal.valueOf(min)) >= 0
        && value.get().compareTo(BigDecimal.valueOf(max)) <= 0) {
      return Optional.of(value.get().intValueExact());
    }
    problem(
        key,
        "'"
            + key
            + "' must be an integer from "
            + min
            + " to "
            + max
            + ", not '"
            + scalar.get().getValue()
            + "'");
    return Optional.empty();
  }

  /**
   * The scalar as a number, if it is one a float64 or int64 bound could use. Longer numerals are
   * refused before parsing (parsing costs time squared in their length), and so are exponents
   * beyond float64's range, which would make printing the plain number exhaust memory. An explicit
   * {@code !!int} or {@code !!float} tag may sit on any text, hence the parse failure too.
   */
  private static Optional<BigDecimal> decimal(ScalarNode scalar) {
    String text = scalar.getValue();
    if (text.length() > MAX_NUMERAL) {
      return Optional.empty();
    }
    try {
      BigDecimal value = new BigDecimal(text);
      return Math.abs(value.scale()) <= MAX_SCALE && Double.isFinite(value.doubleValue())
          ? Optional.of(value)
          : Optional.empty();
    } catch (NumberFormatException infinityNanOrNotANumber) {
      return Optional.empty();
    }
  }

  Optional<Long> duration(String key, boolean required) {
    Optional<String> text = text(key, required);
    try {
      return text.map(Durations::parseMillis);
    } catch (IllegalArgumentException e) {
      problem(key, key + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  Optional<YamlMap> map(String key, String itemWhat) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? Optional.empty() : of(tuple.getValueNode(), file, itemWhat, problems);
  }

  /** The mappings listed under {@code key}; a required list must have at least one. */
  List<YamlMap> maps(String key, String itemWhat, boolean required) {
    List<YamlMap> maps = new ArrayList<>();
    for (Node item : sequence(key, required)) {
      of(item, file, itemWhat, problems).ifPresent(maps::add);
    }
    return maps;
  }

  /** The single values listed under {@code key}; a required list must have at least one. */
  List<ScalarNode> scalars(String key, boolean required) {
    List<ScalarNode> scalars = new ArrayList<>();
    for (Node item : sequence(key, required)) {
      if (item instanceof ScalarNode && !Tag.NULL.equals(item.getTag())) {
        scalars.add((ScalarNode) item);
      } else {
        problem(item, "each item of '" + key + "' must be a single value");
      }
    }
    return scalars;
  }

  private List<Node> sequence(String key, boolean required) {
    NodeTuple tuple = entries.get(key);
    if (tuple == null) {
      if (required) {
        problem("missing required key '" + key + "' in " + what);
      }
      return List.of();
    }
    if (!(tuple.getValueNode() instanceof SequenceNode)) {
      problem(key, "'" + key + "' must be a list");
      return List.of();
    }
    List<Node> items = ((SequenceNode) tuple.getValueNode()).getValue();
    if (items.isEmpty() && required) {
      problem(key, "'" + key + "' must list at least one item");
    }
    return items;
  }

  private Optional<ScalarNode> scalar(String key, boolean required) {
    NodeTuple tuple = entries.get(key);
    if (tuple == null) {
      if (required) {
        problem("missing required key '" + key + "' in " + what);
      }
      return Optional.empty();
    }
    Node value = tuple.getValueNode();
    if (!(value instanceof ScalarNode)) {
      problem(key, "'" + key + "' must be a single value, not a list or mapping");
      return Optional.empty();
    }
    if (Tag.NULL.equals(value.getTag()) || ((ScalarNode) value).getValue().isBlank()) {
      problem(key, "'" + key + "' must not be empty");
      return Optional.empty();
    }
    return Optional.of((ScalarNode) value);
  }
}
