package io.freshet.registry;

import io.vertx.core.json.JsonObject;

/** One row of the registry's history: a version of a named object as it was registered. */
public record StoredDefinition(String name, int version, JsonObject definition) {}
