package io.freshet.model;

/** One (view, entity) cell: the unit every tier stores its latest record under. */
public record TierKey(String view, String entityKey) {}
