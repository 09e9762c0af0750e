package io.freshet.registry;

import io.freshet.model.ValueType;

/** A thing features describe, identified by one join key of type int64 or string. */
public record EntityDef(String name, String joinKey, ValueType keyType, String description) {}
