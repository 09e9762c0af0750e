package io.freshet.selection;

import io.freshet.model.ApiException;
import io.freshet.registry.FeatureDef;
import io.freshet.registry.FeatureRef;
import io.freshet.registry.FeatureServiceDef;
import io.freshet.registry.FeatureView;
import io.freshet.registry.Registry;
import io.freshet.registry.ServiceItem;
import io.freshet.registry.TransformationCatalog;
import io.freshet.registry.TransformationVersion;
import io.freshet.transform.RowPlan;
import io.freshet.transform.Transformation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resolved columns of a request and the views they read. Resolution happens once per request,
 * before any tier is touched, so an unknown name fails the whole request and writes nothing.
 *
 * <p>Every stored feature the columns need (requested, or an input of a transformation) has one raw
 * slot, so a row computes each raw cell once and transformations find their inputs by position:
 * nothing on the read path hashes a column.
 */
public final class FeatureSelection implements RowPlan {

  private final List<Column> columns;
  private final List<FeatureView> views;
  private final List<Column.Raw> raws;
  private final int[] rawViews;
  private final int[][] slots;
  private final Transformation[] functions;
  private final boolean[] acceptsNull;

  private FeatureSelection(List<Column> columns, List<FeatureView> views) {
    this.columns = List.copyOf(columns);
    this.views = List.copyOf(views);
    List<Column.Raw> raws = new ArrayList<>();
    Map<String, Integer> rawSlot = new HashMap<>();
    this.slots = new int[columns.size()][];
    this.functions = new Transformation[columns.size()];
    this.acceptsNull = new boolean[columns.size()];
    for (int c = 0; c < slots.length; c++) {
      Column column = columns.get(c);
      if (column instanceof Column.Transformed transformed) {
        functions[c] = transformed.version().function();
        acceptsNull[c] = functions[c].acceptsNull();
      }
      List<Column.Raw> needed =
          column instanceof Column.Raw
              ? List.of((Column.Raw) column)
              : ((Column.Transformed) column).inputs();
      slots[c] = new int[needed.size()];
      for (int i = 0; i < needed.size(); i++) {
        Column.Raw raw = needed.get(i);
        slots[c][i] =
            rawSlot.computeIfAbsent(
                raw.name(),
                n -> {
                  raws.add(raw);
                  return raws.size() - 1;
                });
      }
    }
    this.raws = List.copyOf(raws);
    this.rawViews = new int[raws.size()];
    for (int r = 0; r < rawViews.length; r++) {
      rawViews[r] = viewIndex(raws.get(r).view());
    }
  }

  public List<Column> columns() {
    return columns;
  }

  public List<FeatureView> views() {
    return views;
  }

  /** Every stored feature the columns read, each once; a row's raw cells are in this order. */
  public List<Column.Raw> raws() {
    return raws;
  }

  /** The position in {@link #views()} of raw slot {@code r}'s view. */
  public int rawView(int r) {
    return rawViews[r];
  }

  @Override
  public int width() {
    return columns.size();
  }

  @Override
  public String name(int c) {
    return columns.get(c).name();
  }

  @Override
  public int[] slots(int c) {
    return slots[c];
  }

  @Override
  public Transformation function(int c) {
    return functions[c];
  }

  @Override
  public boolean acceptsNull(int c) {
    return acceptsNull[c];
  }

  /** The position of a view in {@link #views()}; views are few, so a scan beats a map. */
  public int viewIndex(FeatureView view) {
    for (int v = 0; v < views.size(); v++) {
      if (views.get(v).name().equals(view.name())) {
        return v;
      }
    }
    throw new IllegalArgumentException("view " + view.name() + " is not selected");
  }

  public static FeatureSelection ofService(
      Registry registry, TransformationCatalog catalog, String serviceName) {
    FeatureServiceDef service =
        registry
            .service(serviceName)
            .orElseThrow(
                () -> ApiException.notFound("unknown feature service '" + serviceName + "'"));
    return resolve(registry, catalog, service.items());
  }

  public static FeatureSelection ofNames(
      Registry registry, TransformationCatalog catalog, List<String> names) {
    List<ServiceItem> items = new ArrayList<>(names.size());
    for (String name : names) {
      items.add(parseItem(name));
    }
    return resolve(registry, catalog, items);
  }

  private static ServiceItem parseItem(String name) {
    if (name.indexOf(':') >= 0) {
      return ServiceItem.ofFeature(
          FeatureRef.parse(name)
              .orElseThrow(() -> ApiException.badRequest("malformed feature name '" + name + "'")));
    }
    int at = name.indexOf('@');
    if (at < 0) {
      return ServiceItem.ofTransformation(name, 0);
    }
    try {
      int pin = Integer.parseInt(name.substring(at + 1));
      if (pin > 0) {
        return ServiceItem.ofTransformation(name.substring(0, at), pin);
      }
    } catch (NumberFormatException e) {
      // falls through to the same error as a non-positive pin
    }
    throw ApiException.badRequest("malformed version pin in '" + name + "'");
  }

  private static FeatureSelection resolve(
      Registry registry, TransformationCatalog catalog, List<ServiceItem> items) {
    if (items.isEmpty()) {
      throw ApiException.badRequest("no features requested");
    }
    List<Column> columns = new ArrayList<>(items.size());
    Map<String, FeatureView> views = new LinkedHashMap<>();
    JsonArray unfitted = new JsonArray();
    for (ServiceItem item : items) {
      Column column =
          item.isFeature()
              ? raw(registry, item.feature())
              : transformed(
                  registry, catalog, item.transformation(), item.pinnedVersion(), unfitted);
      if (column == null) {
        continue;
      }
      if (columns.stream().anyMatch(c -> c.name().equals(column.name()))) {
        throw ApiException.badRequest("feature '" + column.name() + "' is requested twice");
      }
      columns.add(column);
      if (column instanceof Column.Raw) {
        Column.Raw r = (Column.Raw) column;
        views.put(r.view().name(), r.view());
      } else {
        ((Column.Transformed) column).inputs().forEach(i -> views.put(i.view().name(), i.view()));
      }
    }
    if (!unfitted.isEmpty()) {
      throw notFitted(unfitted);
    }
    return new FeatureSelection(columns, new ArrayList<>(views.values()));
  }

  /** Every unfitted transformation of a request at once, so one round of fits is enough. */
  private static ApiException notFitted(JsonArray unfitted) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < unfitted.size(); i++) {
      JsonObject t = unfitted.getJsonObject(i);
      names.add("'" + t.getString("transformation") + "' (" + t.getString("kind") + ")");
    }
    String fit =
        names.size() == 1
            ? "transformation "
                + names.get(0)
                + " has no fitted version yet; fit it with "
                + unfitted.getJsonObject(0).getString("fit")
            : names.size()
                + " transformations have no fitted version yet: "
                + String.join(", ", names)
                + "; fit each with POST /v1/transformations/{name}/fit";
    return ApiException.notFitted(
        fit + ", or a feature service's all at once with POST /v1/feature_services/{name}/fit",
        unfitted);
  }

  private static Column.Raw raw(Registry registry, FeatureRef ref) {
    FeatureView view =
        registry
            .view(ref.view())
            .orElseThrow(() -> ApiException.notFound("unknown feature view '" + ref.view() + "'"));
    FeatureDef feature =
        view.feature(ref.feature())
            .orElseThrow(() -> ApiException.notFound("unknown feature '" + ref.fullName() + "'"));
    return new Column.Raw(ref.fullName(), view, feature);
  }

  /**
   * The column of a transformation, or null when it is a fitted kind not fitted yet: that is added
   * to {@code unfitted} for the caller to refuse with every other one.
   */
  private static Column.Transformed transformed(
      Registry registry, TransformationCatalog catalog, String name, int pin, JsonArray unfitted) {
    TransformationVersion version;
    if (pin == 0) {
      if (registry.transformation(name).isEmpty()) {
        throw ApiException.notFound("unknown transformation '" + name + "'");
      }
      version =
          catalog
              .current(name)
              .orElseThrow(
                  () ->
                      ApiException.unavailable("transformation '" + name + "' is not registered"));
    } else {
      version =
          catalog
              .version(name, pin)
              .orElseThrow(
                  () ->
                      ApiException.notFound(
                          "transformation '" + name + "@" + pin + "' is not registered"));
    }
    if (version.function() == null) {
      String label = pin == 0 ? name : name + "@" + pin;
      if (version.fittedKind() && version.fit() == null) {
        unfitted.add(
            new JsonObject()
                .put("transformation", label)
                .put("kind", version.kind())
                .put("fit", "POST /v1/transformations/" + name + "/fit"));
        return null;
      }
      throw ApiException.notFound(
          "transformation '" + label + "' cannot be applied: " + version.problem());
    }
    List<Column.Raw> inputs = new ArrayList<>();
    version.inputs().forEach(ref -> inputs.add(raw(registry, ref)));
    return new Column.Transformed(name, version, inputs);
  }
}
