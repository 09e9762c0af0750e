package io.freshet.pit;

import java.util.concurrent.ThreadLocalRandom;

/** Sorts a range of label row numbers by their rows' times, without boxing. */
final class RowSort {

  private static final int INSERTION_MAX = 24;

  private RowSort() {}

  static void byTime(int[] rows, int from, int to, LabelTable labels) {
    while (to - from > INSERTION_MAX) {
      // A random pivot: a request's order cannot be crafted to make the sort quadratic.
      long pivot = labels.at(rows[ThreadLocalRandom.current().nextInt(from, to)]);
      int lt = from;
      int gt = to - 1;
      int i = from;
      // Three-way partition: many rows of one entity may share a time.
      while (i <= gt) {
        long t = labels.at(rows[i]);
        if (t < pivot) {
          swap(rows, lt++, i++);
        } else if (t > pivot) {
          swap(rows, i, gt--);
        } else {
          i++;
        }
      }
      // Recursing into the smaller side only keeps the stack logarithmic.
      if (lt - from < to - gt - 1) {
        byTime(rows, from, lt, labels);
        from = gt + 1;
      } else {
        byTime(rows, gt + 1, to, labels);
        to = lt;
      }
    }
    insertion(rows, from, to, labels);
  }

  private static void insertion(int[] rows, int from, int to, LabelTable labels) {
    for (int i = from + 1; i < to; i++) {
      int row = rows[i];
      long t = labels.at(row);
      int j = i - 1;
      while (j >= from && labels.at(rows[j]) > t) {
        rows[j + 1] = rows[j];
        j--;
      }
      rows[j + 1] = row;
    }
  }

  private static void swap(int[] rows, int a, int b) {
    int tmp = rows[a];
    rows[a] = rows[b];
    rows[b] = tmp;
  }
}
