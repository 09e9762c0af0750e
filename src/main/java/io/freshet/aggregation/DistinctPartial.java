package io.freshet.aggregation;

import io.freshet.model.ValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code count_distinct}: the set of distinct non-null values (0.0 and −0.0 are one value). */
final class DistinctPartial implements Partial {

  private final ValueType type;
  private final Set<Object> values;

  DistinctPartial(ValueType type, Set<Object> values) {
    this.type = type;
    this.values = values;
  }

  static DistinctPartial decode(ValueType type, ByteReader in) {
    long size = in.readVarLong();
    Set<Object> values = new HashSet<>();
    for (long i = 0; i < size; i++) {
      values.add(TypedValues.read(in, type));
    }
    return new DistinctPartial(type, values);
  }

  /** The value a set holds for {@code value}: one zero for both signs of zero. */
  static Object distinctForm(ValueType type, Object value) {
    Object typed = TypedValues.of(type, value);
    if (typed instanceof Double && (Double) typed == 0.0) {
      return 0.0;
    }
    return typed;
  }

  @Override
  public void add(Object value, long eventMicros, long ingestedMicros, int sequence) {
    if (value != null) {
      values.add(distinctForm(type, value));
    }
  }

  @Override
  public void merge(Partial other) {
    values.addAll(((DistinctPartial) other).values);
  }

  @Override
  public Object value() {
    return (long) values.size();
  }

  @Override
  public byte[] encode() {
    List<Object> sorted = new ArrayList<>(values);
    sorted.sort((a, b) -> TypedValues.compare(type, a, b));
    ByteWriter out = new ByteWriter();
    out.writeVarLong(sorted.size());
    sorted.forEach(v -> TypedValues.write(out, type, v));
    return out.toByteArray();
  }

  @Override
  public Partial copy() {
    return new DistinctPartial(type, new HashSet<>(values));
  }
}
