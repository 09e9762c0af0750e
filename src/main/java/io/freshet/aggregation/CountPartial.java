package io.freshet.aggregation;

/** {@code count}: the events, nulls included. */
final class CountPartial implements Partial {

  private long count;

  CountPartial(long count) {
    this.count = count;
  }

  static CountPartial decode(ByteReader in) {
    return new CountPartial(in.readVarLong());
  }

  @Override
  public void add(Object value, long eventMicros, long ingestedMicros, int sequence) {
    count++;
  }

  @Override
  public void merge(Partial other) {
    count += ((CountPartial) other).count;
  }

  @Override
  public Object value() {
    return count;
  }

  @Override
  public byte[] encode() {
    ByteWriter out = new ByteWriter();
    out.writeVarLong(count);
    return out.toByteArray();
  }

  @Override
  public Partial copy() {
    return new CountPartial(count);
  }
}
