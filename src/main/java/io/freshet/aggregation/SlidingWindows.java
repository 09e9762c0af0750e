package io.freshet.aggregation;

import io.freshet.model.ValueType;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** The {@link Sliding} implementation of each function. */
final class SlidingWindows {

  private SlidingWindows() {}

  static Sliding of(AggregateFunction function, ValueType input) {
    switch (function) {
      case COUNT:
        return new Count();
      case COUNT_DISTINCT:
        return new Distinct(input);
      case SUM:
      case MEAN:
        return new OfMoments(function, input, false);
      case STDDEV:
        return new OfMoments(function, input, true);
      case MIN:
        return new Extreme(input, false);
      case MAX:
        return new Extreme(input, true);
      default:
        return new Last(input);
    }
  }

  private static final class Count implements Sliding {
    private long count;

    @Override
    public void add(Object value, long eventMicros, long ingestedMicros, int sequence) {
      count++;
    }

    @Override
    public void remove(Object value, long eventMicros, long ingestedMicros, int sequence) {
      count--;
    }

    @Override
    public Object value() {
      return count;
    }

    @Override
    public void clear() {
      count = 0;
    }
  }

  /** Each distinct value with how many events inside hold it. */
  private static final class Distinct implements Sliding {
    private final ValueType type;
    private final Map<Object, Integer> counts = new HashMap<>();

    Distinct(ValueType type) {
      this.type = type;
    }

    @Override
    public void add(Object value, long eventMicros, long ingestedMicros, int sequence) {
      if (value != null) {
        counts.merge(DistinctPartial.distinctForm(type, value), 1, Integer::sum);
      }
    }

    @Override
    public void remove(Object value, long eventMicros, long ingestedMicros, int sequence) {
      if (value != null) {
        counts.computeIfPresent(
            DistinctPartial.distinctForm(type, value), (k, n) -> n == 1 ? null : n - 1);
      }
    }

    @Override
    public Object value() {
      return (long) counts.size();
    }

    @Override
    public void clear() {
      counts.clear();
    }
  }

  /** Exact sums can take a value away again exactly, so the window never needs re-summing. */
  private static final class OfMoments implements Sliding {
    private final AggregateFunction function;
    private final ValueType type;
    private final boolean squares;
    private Moments moments;

    OfMoments(AggregateFunction function, ValueType type, boolean squares) {
      this.function = function;
      this.type = type;
      this.squares = squares;
      this.moments = new Moments(type, squares);
    }

    @Override
    public void add(Object value, long eventMicros, long ingestedMicros, int sequence) {
      moments.add(value);
    }

    @Override
    public void remove(Object value, long eventMicros, long ingestedMicros, int sequence) {
      moments.remove(value);
    }

    @Override
    public Object value() {
      return MomentsPartial.value(function, moments);
    }

    @Override
    public void clear() {
      moments = new Moments(type, squares);
    }
  }

  /** The values inside in order, with their counts: the first or last is the extreme. */
  private static final class Extreme implements Sliding {
    private final ValueType type;
    private final boolean largest;
    private final TreeMap<Object, Integer> counts;

    Extreme(ValueType type, boolean largest) {
      this.type = type;
      this.largest = largest;
      this.counts = new TreeMap<>((a, b) -> TypedValues.compare(type, a, b));
    }

    @Override
    public void add(Object value, long eventMicros, long ingestedMicros, int sequence) {
      if (value != null) {
        counts.merge(TypedValues.of(type, value), 1, Integer::sum);
      }
    }

    @Override
    public void remove(Object value, long eventMicros, long ingestedMicros, int sequence) {
      if (value != null) {
        counts.computeIfPresent(TypedValues.of(type, value), (k, n) -> n == 1 ? null : n - 1);
      }
    }

    @Override
    public Object value() {
      if (counts.isEmpty()) {
        return null;
      }
      return largest ? counts.lastKey() : counts.firstKey();
    }

    @Override
    public void clear() {
      counts.clear();
    }
  }

  /** The non-null events inside by {@link EventOrder}; the newest one's value is the last. */
  private static final class Last implements Sliding {
    private static final Comparator<long[]> ORDER =
        (a, b) -> EventOrder.compare(a[0], a[1], (int) a[2], b[0], b[1], (int) b[2]);

    private final ValueType type;
    private final TreeMap<long[], Object> values = new TreeMap<>(ORDER);

    Last(ValueType type) {
      this.type = type;
    }

    @Override
    public void add(Object value, long eventMicros, long ingestedMicros, int sequence) {
      if (value != null) {
        values.put(new long[] {eventMicros, ingestedMicros, sequence}, TypedValues.of(type, value));
      }
    }

    @Override
    public void remove(Object value, long eventMicros, long ingestedMicros, int sequence) {
      if (value != null) {
        values.remove(new long[] {eventMicros, ingestedMicros, sequence});
      }
    }

    @Override
    public Object value() {
      return values.isEmpty() ? null : values.lastEntry().getValue();
    }

    @Override
    public void clear() {
      values.clear();
    }
  }
}
