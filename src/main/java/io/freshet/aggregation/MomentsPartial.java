package io.freshet.aggregation;

/** {@code sum}, {@code mean} and {@code stddev}: exact moments of the non-null values. */
final class MomentsPartial implements Partial {

  private final AggregateFunction function;
  private final Moments moments;

  MomentsPartial(AggregateFunction function, Moments moments) {
    this.function = function;
    this.moments = moments;
  }

  @Override
  public void add(Object value, long eventMicros, long ingestedMicros, int sequence) {
    moments.add(value);
  }

  @Override
  public void merge(Partial other) {
    moments.merge(((MomentsPartial) other).moments);
  }

  @Override
  public Object value() {
    return value(function, moments);
  }

  static Object value(AggregateFunction function, Moments moments) {
    switch (function) {
      case SUM:
        return moments.sum();
      case MEAN:
        return moments.mean();
      default:
        return moments.stddev();
    }
  }

  @Override
  public byte[] encode() {
    ByteWriter out = new ByteWriter();
    moments.writeTo(out);
    return out.toByteArray();
  }

  @Override
  public Partial copy() {
    return new MomentsPartial(function, moments.copy());
  }
}
