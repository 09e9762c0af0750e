package io.freshet.selection;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.model.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a request names its columns: a {@code feature_service} or a list of {@code features}, exactly
 * one. Online and historical requests both read it here and resolve it through the same {@link
 * SelectionCache}, so a name means the same columns for serving and for training. Parsing checks
 * only the shape; unknown names are found when the selection is resolved.
 */
public record SelectionRequest(String service, List<String> features) {

  public SelectionRequest {
    features = features == null ? null : List.copyOf(features);
  }

  public static SelectionRequest parse(JsonNode body) {
    JsonNode service = body.get("feature_service");
    JsonNode features = body.get("features");
    if ((service == null) == (features == null)) {
      throw ApiException.badRequest("name exactly one of feature_service and features");
    }
    if (service != null && !service.isTextual()) {
      throw ApiException.badRequest("feature_service must be a string");
    }
    return new SelectionRequest(
        service == null ? null : service.textValue(), features == null ? null : names(features));
  }

  private static List<String> names(JsonNode features) {
    if (!features.isArray() || features.isEmpty()) {
      throw ApiException.badRequest("features must be a non-empty array of names");
    }
    List<String> names = new ArrayList<>(features.size());
    for (JsonNode name : features) {
      if (!name.isTextual()) {
        throw ApiException.badRequest("features must be a non-empty array of names");
      }
      names.add(name.textValue());
    }
    return names;
  }

  public FeatureSelection resolve(SelectionCache selections) {
    return service != null ? selections.ofService(service) : selections.ofNames(features);
  }
}
