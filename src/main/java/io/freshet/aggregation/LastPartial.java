package io.freshet.aggregation;

import io.freshet.model.ValueType;

/**
 * {@code last}: the non-null value of the newest event (see {@link EventOrder}), null when none.
 */
final class LastPartial implements Partial {

  private final ValueType type;
  private Object value;
  private long eventMicros;
  private long ingestedMicros;
  private int sequence;

  LastPartial(ValueType type) {
    this.type = type;
  }

  static LastPartial decode(ValueType type, ByteReader in) {
    LastPartial last = new LastPartial(type);
    if (in.readByte() != 0) {
      last.eventMicros = in.readSignedVarLong();
      last.ingestedMicros = in.readSignedVarLong();
      last.sequence = (int) in.readSignedVarLong();
      last.value = TypedValues.read(in, type);
    }
    return last;
  }

  @Override
  public void add(Object value, long eventMicros, long ingestedMicros, int sequence) {
    if (value != null) {
      offer(TypedValues.of(type, value), eventMicros, ingestedMicros, sequence);
    }
  }

  @Override
  public void merge(Partial other) {
    LastPartial theirs = (LastPartial) other;
    if (theirs.value != null) {
      offer(theirs.value, theirs.eventMicros, theirs.ingestedMicros, theirs.sequence);
    }
  }

  private void offer(Object candidate, long event, long ingested, int position) {
    if (value == null
        || EventOrder.compare(event, ingested, position, eventMicros, ingestedMicros, sequence)
            > 0) {
      value = candidate;
      eventMicros = event;
      ingestedMicros = ingested;
      sequence = position;
    }
  }

  @Override
  public Object value() {
    return value;
  }

  @Override
  public byte[] encode() {
    ByteWriter out = new ByteWriter();
    out.writeByte(value == null ? 0 : 1);
    if (value != null) {
      out.writeSignedVarLong(eventMicros);
      out.writeSignedVarLong(ingestedMicros);
      out.writeSignedVarLong(sequence);
      TypedValues.write(out, type, value);
    }
    return out.toByteArray();
  }

  @Override
  public Partial copy() {
    LastPartial copy = new LastPartial(type);
    copy.merge(this);
    return copy;
  }
}
