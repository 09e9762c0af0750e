package io.freshet.aggregation;

import io.freshet.model.ValueType;

/** {@code min} or {@code max}: the smallest or largest non-null value, null when none. */
final class ExtremePartial implements Partial {

  private final ValueType type;
  private final boolean largest;
  private Object best;

  ExtremePartial(ValueType type, boolean largest, Object best) {
    this.type = type;
    this.largest = largest;
    this.best = best;
  }

  static ExtremePartial decode(ValueType type, boolean largest, ByteReader in) {
    Object best = in.readByte() == 0 ? null : TypedValues.read(in, type);
    return new ExtremePartial(type, largest, best);
  }

  @Override
  public void add(Object value, long eventMicros, long ingestedMicros, int sequence) {
    if (value != null) {
      offer(TypedValues.of(type, value));
    }
  }

  @Override
  public void merge(Partial other) {
    Object theirs = ((ExtremePartial) other).best;
    if (theirs != null) {
      offer(theirs);
    }
  }

  private void offer(Object value) {
    if (best == null) {
      best = value;
      return;
    }
    int order = TypedValues.compare(type, value, best);
    if (largest ? order > 0 : order < 0) {
      best = value;
    }
  }

  @Override
  public Object value() {
    return best;
  }

  @Override
  public byte[] encode() {
    ByteWriter out = new ByteWriter();
    out.writeByte(best == null ? 0 : 1);
    if (best != null) {
      TypedValues.write(out, type, best);
    }
    return out.toByteArray();
  }

  @Override
  public Partial copy() {
    return new ExtremePartial(type, largest, best);
  }
}
