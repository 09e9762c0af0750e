package io.freshet.registry;

import io.freshet.model.ValueType;
import io.freshet.transform.Transformation;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One registered version of a transformation, as stored: its declaration, the fitted parameters and
 * provenance when it is a fit, and the function they define. {@code function} is null while the
 * version cannot be applied; {@code problem} then says why (a fitted kind not fitted yet, or an old
 * version whose input or Java implementation is gone).
 *
 * @param kind {@code expression}, {@code java} or a fitted kind
 * @param fit {@code {"parameters", "snapshot_id", "row_count", "fitted_at"}}, or null
 */
public record TransformationVersion(
    String name,
    int version,
    String kind,
    List<FeatureRef> inputs,
    ValueType outputType,
    JsonObject declaration,
    JsonObject fit,
    Transformation function,
    String problem) {

  public TransformationVersion {
    inputs = List.copyOf(inputs);
  }

  public boolean fittedKind() {
    return !kind.equals("expression") && !kind.equals("java");
  }

  /** The registry's view of this version. */
  public JsonObject toJson() {
    JsonObject out = new JsonObject().put("version", version);
    if (fit != null) {
      out.put("fit", fit);
    }
    if (problem != null) {
      out.put("problem", problem);
    }
    return out;
  }
}
