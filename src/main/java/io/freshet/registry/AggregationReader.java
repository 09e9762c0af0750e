package io.freshet.registry;

import io.freshet.aggregation.AggregateFunction;
import io.freshet.model.ValueType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads an event view's {@code aggregations}, checked against its fields and its ttl. */
final class AggregationReader {

  private static final List<String> KEYS =
      List.of("name", "function", "of", "window", "description");

  /** Shorter windows would hold too few events to mean anything, and tiles would be too fine. */
  static final long MIN_WINDOW_MS = 1_000;

  /** A snapshot tracks which windows hold an event in one 64-bit word per event. */
  static final int MAX_AGGREGATIONS = 64;

  private AggregationReader() {}

  static List<AggregationDef> readAll(YamlMap view, List<FeatureDef> fields, long ttlMs) {
    List<AggregationDef> aggregations = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<YamlMap> items = view.maps("aggregations", "an aggregation", true);
    if (items.size() > MAX_AGGREGATIONS) {
      view.problem(
          "aggregations",
          items.size() + " aggregations; an event view has at most " + MAX_AGGREGATIONS);
    }
    for (YamlMap item : items) {
      Optional<AggregationDef> aggregation = read(item, fields, ttlMs, view);
      if (aggregation.isPresent() && !names.add(aggregation.get().name())) {
        item.problem(
            "name", "duplicate aggregation '" + aggregation.get().name() + "' in this view");
      } else {
        aggregation.ifPresent(aggregations::add);
      }
    }
    return aggregations;
  }

  private static Optional<AggregationDef> read(
      YamlMap item, List<FeatureDef> fields, long ttlMs, YamlMap view) {
    item.allowOnly(KEYS);
    Optional<String> name = item.name("name");
    Optional<AggregateFunction> function =
        item.text("function", true)
            .flatMap(
                text ->
                    item.enumValue(
                        "function",
                        "aggregation function",
                        text,
                        AggregateFunction.class,
                        EnumSet.allOf(AggregateFunction.class)));
    ValueType input = function.flatMap(f -> input(item, f, fields)).orElse(null);
    Optional<Long> window =
        item.duration("window", true).filter(w -> windowFits(item, w, ttlMs, view));
    String description = item.text("description", false).orElse(null);
    boolean inputOk = function.isPresent() && (!function.get().readsAField() || input != null);
    if (name.isEmpty() || !inputOk || window.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new AggregationDef(
            name.get(),
            function.get(),
            function.get().readsAField() ? item.text("of", false).orElseThrow() : null,
            input,
            window.get(),
            description));
  }

  /** The type of the field read; empty for {@code count} and after a problem. */
  private static Optional<ValueType> input(
      YamlMap item, AggregateFunction function, List<FeatureDef> fields) {
    String name = function.yamlName();
    if (!function.readsAField()) {
      if (item.has("of")) {
        item.problem("of", "count counts events and reads no field: remove 'of'");
      }
      return Optional.empty();
    }
    if (!item.has("of")) {
      item.problem("function", name + " needs 'of', the field it reads");
      return Optional.empty();
    }
    Optional<String> of = item.text("of", true);
    if (of.isEmpty()) {
      return Optional.empty();
    }
    Optional<FeatureDef> field = fields.stream().filter(f -> f.name().equals(of.get())).findFirst();
    if (field.isEmpty()) {
      item.problem("of", "unknown field '" + of.get() + "' of this view");
      return Optional.empty();
    }
    ValueType type = field.get().type();
    if (type == null) {
      return Optional.empty();
    }
    if (function.needsANumber() && type != ValueType.INT64 && type != ValueType.FLOAT64) {
      item.problem(
          "of",
          name + " needs an int64 or float64 field; '" + of.get() + "' is " + type.yamlName());
      return Optional.empty();
    }
    return Optional.of(type);
  }

  private static boolean windowFits(YamlMap item, long windowMs, long ttlMs, YamlMap view) {
    String shown = item.text("window", false).orElse("");
    if (windowMs < MIN_WINDOW_MS) {
      item.problem("window", "window (" + shown + ") is shorter than 1s");
      return false;
    }
    if (ttlMs > 0 && windowMs > ttlMs) {
      item.problem(
          "window",
          "window ("
              + shown
              + ") is longer than the view's ttl ("
              + view.text("ttl", false).orElse("")
              + ")");
      return false;
    }
    return true;
  }
}
