package io.freshet.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.http.JsonBodies;
import io.freshet.model.ApiException;
import io.freshet.model.EntityKeys;
import io.freshet.registry.EntityDef;
import io.freshet.registry.Registry;
import io.freshet.selection.SelectionRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A parsed {@code POST /v1/features/online} body. */
record OnlineRequest(
    SelectionRequest columns, EntityRows entities, boolean metaFull, boolean byColumn) {

  private static final Set<String> FIELDS =
      Set.of("feature_service", "features", "entities", "meta", "layout");

  static OnlineRequest parse(JsonNode body, Registry registry, int maxEntities) {
    JsonBodies.allowOnly(body, FIELDS);
    return new OnlineRequest(
        SelectionRequest.parse(body),
        entities(body.get("entities"), registry, maxEntities),
        metaFull(body.get("meta")),
        byColumn(body.get("layout")));
  }

  /** {@code "layout": "rows"} (the default) or {@code "columns"}: one array per feature. */
  private static boolean byColumn(JsonNode layout) {
    if (layout == null || (layout.isTextual() && layout.textValue().equals("rows"))) {
      return false;
    }
    if (layout.isTextual() && layout.textValue().equals("columns")) {
      return true;
    }
    throw ApiException.badRequest("layout must be \"rows\" or \"columns\"");
  }

  private static boolean metaFull(JsonNode meta) {
    if (meta == null || (meta.isTextual() && meta.textValue().equals("full"))) {
      return true;
    }
    if (meta.isTextual() && meta.textValue().equals("status")) {
      return false;
    }
    throw ApiException.badRequest("meta must be \"full\" or \"status\"");
  }

  private static EntityRows entities(JsonNode entities, Registry registry, int maxEntities) {
    if (entities == null || !entities.isObject() || entities.isEmpty()) {
      throw ApiException.badRequest("entities must be an object of join key -> array of keys");
    }
    Map<String, List<Object>> byKey = new LinkedHashMap<>();
    int size = -1;
    for (Iterator<Map.Entry<String, JsonNode>> it = entities.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      EntityDef entity =
          registry
              .entityByJoinKey(entry.getKey())
              .orElseThrow(
                  () -> ApiException.badRequest("unknown join key '" + entry.getKey() + "'"));
      if (entry.getValue().size() > maxEntities) {
        throw ApiException.tooLarge(
            entry.getValue().size()
                + " entities in one request; the limit is "
                + maxEntities
                + " (FRESHET_MAX_ONLINE_ENTITIES)");
      }
      List<Object> keys = keys(entity, entry.getValue());
      if (size >= 0 && keys.size() != size) {
        throw ApiException.badRequest("every join key must list the same number of entities");
      }
      size = keys.size();
      byKey.put(entity.joinKey(), keys);
    }
    return new EntityRows(byKey, size);
  }

  private static List<Object> keys(EntityDef entity, JsonNode values) {
    String joinKey = entity.joinKey();
    if (!values.isArray() || values.isEmpty()) {
      throw ApiException.badRequest("entities." + joinKey + " must be a non-empty array");
    }
    List<Object> keys = new ArrayList<>(values.size());
    for (JsonNode value : values) {
      Object key = EntityKeys.of(entity.keyType(), value);
      if (key == null) {
        throw ApiException.badRequest(
            "entities."
                + joinKey
                + " holds "
                + value
                + ", not "
                + EntityKeys.expected(entity.keyType()));
      }
      keys.add(key);
    }
    return keys;
  }
}
