package io.freshet.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;

/** Collects every problem of one load, so a user fixes a directory in one pass, not one by one. */
final class Problems {

  private final List<SchemaProblem> found = new ArrayList<>();

  /** Reasons quote what the file says, which can be megabytes; the quote is what gets cut. */
  private static final int MAX_REASON = 400;

  void add(String file, int line, String reason) {
    String bounded =
        reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 3) + "...";
    found.add(new SchemaProblem(file, line, bounded));
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  /** Problems by file and line; checks run kind by kind across files, not in reading order. */
  List<SchemaProblem> sorted() {
    List<SchemaProblem> sorted = new ArrayList<>(found);
    sorted.sort(Comparator.comparing(SchemaProblem::file).thenComparingInt(SchemaProblem::line));
    return sorted;
  }

  /** The 1-based line a node starts on; snakeyaml counts from 0. */
  static int line(Node node) {
    return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
  }
}
