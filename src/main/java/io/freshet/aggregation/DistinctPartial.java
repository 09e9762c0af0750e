package io.freshet.aggregation;

import io.freshet.model.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * {@code count_distinct}: the distinct non-null values (0.0 and −0.0 are one value), held in the
 * order they are encoded in. A tile's set, read back to take a batch's few events, takes each by a
 * binary search and is written out as it stands, where a hash set was filled and sorted again whole
 * for every write (BENCHMARKS.md, "Event ingest against its ceiling": the tiles of a live stream
 * hold many values). Strings are held as their UTF-8 bytes, neither decoded nor encoded again:
 * unsigned, byte by byte, their order is the code points' order, and ingest refuses unpaired
 * surrogates, so a string and its bytes are one to one.
 */
final class DistinctPartial implements Partial {

  /** Below this many values merged in, each goes in by a binary search; above, both are walked. */
  private static final int INSERTED_ONE_BY_ONE = 8;

  private static final Comparator<Object> UTF8_ORDER =
      (a, b) -> Arrays.compareUnsigned((byte[]) a, (byte[]) b);

  private final ValueType type;
  private final Comparator<Object> order;

  /** Ascending by {@link TypedValues#compare}, no two equal; strings as UTF-8 bytes. */
  private final List<Object> values;

  private DistinctPartial(ValueType type, List<Object> values) {
    this.type = type;
    this.order = type == ValueType.STRING ? UTF8_ORDER : TypedValues.order(type);
    this.values = values;
  }

  static DistinctPartial empty(ValueType type) {
    return new DistinctPartial(type, new ArrayList<>());
  }

  /** Refuses values out of order or repeated: a set searched by halves must be sorted. */
  static DistinctPartial decode(ValueType type, ByteReader in) {
    long size = in.readVarLong();
    DistinctPartial partial =
        new DistinctPartial(type, new ArrayList<>((int) Math.min(size, INSERTED_ONE_BY_ONE)));
    Object last = null;
    for (long i = 0; i < size; i++) {
      Object value = type == ValueType.STRING ? in.readBytes() : TypedValues.read(in, type);
      if (last != null && partial.order.compare(last, value) >= 0) {
        throw new IllegalArgumentException("malformed partial aggregate: distinct values unsorted");
      }
      partial.values.add(value);
      last = value;
    }
    return partial;
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
      insert(
          type == ValueType.STRING
              ? ((String) value).getBytes(StandardCharsets.UTF_8)
              : distinctForm(type, value));
    }
  }

  private void insert(Object value) {
    int at = Collections.binarySearch(values, value, order);
    if (at < 0) {
      values.add(-at - 1, value);
    }
  }

  @Override
  public void merge(Partial other) {
    List<Object> theirs = ((DistinctPartial) other).values;
    if (theirs.size() < INSERTED_ONE_BY_ONE) {
      theirs.forEach(this::insert);
      return;
    }
    List<Object> mine = new ArrayList<>(values);
    values.clear();
    int i = 0;
    int j = 0;
    while (i < mine.size() && j < theirs.size()) {
      int c = order.compare(mine.get(i), theirs.get(j));
      if (c <= 0) {
        values.add(mine.get(i++));
        j += c == 0 ? 1 : 0;
      } else {
        values.add(theirs.get(j++));
      }
    }
    values.addAll(mine.subList(i, mine.size()));
    values.addAll(theirs.subList(j, theirs.size()));
  }

  @Override
  public Object value() {
    return (long) values.size();
  }

  @Override
  public byte[] encode() {
    ByteWriter out = new ByteWriter();
    out.writeVarLong(values.size());
    for (Object value : values) {
      if (type == ValueType.STRING) {
        out.writeBytes((byte[]) value);
      } else {
        TypedValues.write(out, type, value);
      }
    }
    return out.toByteArray();
  }

  @Override
  public Partial copy() {
    return new DistinctPartial(type, new ArrayList<>(values));
  }
}
