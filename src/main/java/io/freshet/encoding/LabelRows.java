package io.freshet.encoding;

import java.util.List;

/**
 * A snapshot request's label rows as the encoder writes them: each row's keys and time, and the
 * fields of its own that it passes through.
 */
public interface LabelRows {

  /** How many join keys each row carries, in the layout's order. */
  int joinKeys();

  /** Row {@code row}'s value of join key {@code joinKey}: a Long or a String. */
  Object keyOf(int row, int joinKey);

  /** Row {@code row}'s time, in microseconds. */
  long at(int row);

  /** How many rows there are. */
  int size();

  /** The passed-through fields, in the layout's order. */
  List<LabelField> labelFields();
}
