package io.freshet.model;

/**
 * One (view, entity) cell: the unit every tier stores its latest record under. Equality is written
 * out rather than left to the record's generated method, which goes through method handles: the hot
 * tier compares keys on every lookup.
 */
public record TierKey(String view, String entityKey) {

  @Override
  public boolean equals(Object other) {
    return other instanceof TierKey
        && view.equals(((TierKey) other).view)
        && entityKey.equals(((TierKey) other).entityKey);
  }

  @Override
  public int hashCode() {
    return 31 * view.hashCode() + entityKey.hashCode();
  }
}
