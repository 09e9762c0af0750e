package io.freshet.aggregation;

import io.freshet.model.ValueType;

/**
 * One aggregation's arithmetic: a function over a field of a type. It makes empty partials, reads
 * encoded ones back, and says what type of value they produce. Online tiles and historical windows
 * both come from here, which is what makes their values bit-identical.
 */
public final class Aggregator {

  private final AggregateFunction function;
  private final ValueType input;

  private Aggregator(AggregateFunction function, ValueType input) {
    this.function = function;
    this.input = input;
  }

  /** {@code input} is the type of the field read, ignored for {@code count}. */
  public static Aggregator of(AggregateFunction function, ValueType input) {
    if (function.readsAField() && input == null) {
      throw new IllegalArgumentException(function.yamlName() + " reads a field");
    }
    if (function.needsANumber() && input != ValueType.INT64 && input != ValueType.FLOAT64) {
      throw new IllegalArgumentException(function.yamlName() + " needs a number, not " + input);
    }
    return new Aggregator(function, function.readsAField() ? input : null);
  }

  public AggregateFunction function() {
    return function;
  }

  public ValueType resultType() {
    return function.resultType(input);
  }

  public Partial empty() {
    switch (function) {
      case COUNT:
        return new CountPartial(0);
      case COUNT_DISTINCT:
        return DistinctPartial.empty(input);
      case SUM:
      case MEAN:
        return new MomentsPartial(function, new Moments(input, false));
      case STDDEV:
        return new MomentsPartial(function, new Moments(input, true));
      case MIN:
        return new ExtremePartial(input, false, null);
      case MAX:
        return new ExtremePartial(input, true, null);
      default:
        return new LastPartial(input);
    }
  }

  /** An empty window that events enter and leave, valued as a partial of the same events is. */
  public Sliding sliding() {
    return SlidingWindows.of(function, input);
  }

  /** Reads what {@link Partial#encode()} wrote; malformed bytes are an IllegalArgumentException. */
  public Partial decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /**
   * {@link #decode(byte[])} of {@code bytes[offset .. offset + length]}, which it does not copy.
   */
  public Partial decode(byte[] bytes, int offset, int length) {
    ByteReader in = new ByteReader(bytes, offset, length);
    Partial partial;
    switch (function) {
      case COUNT:
        partial = CountPartial.decode(in);
        break;
      case COUNT_DISTINCT:
        partial = DistinctPartial.decode(input, in);
        break;
      case SUM:
      case MEAN:
        partial = new MomentsPartial(function, Moments.readFrom(in, input, false));
        break;
      case STDDEV:
        partial = new MomentsPartial(function, Moments.readFrom(in, input, true));
        break;
      case MIN:
        partial = ExtremePartial.decode(input, false, in);
        break;
      case MAX:
        partial = ExtremePartial.decode(input, true, in);
        break;
      default:
        partial = LastPartial.decode(input, in);
    }
    in.expectEnd();
    return partial;
  }
}
