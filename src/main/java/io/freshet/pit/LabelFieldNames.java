package io.freshet.pit;

import io.freshet.encoding.SnapshotLayout;
import io.freshet.model.ApiException;
import io.freshet.registry.EntityDef;
import io.freshet.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which names a label row's own fields may have. Any name passes through except two kinds: one that
 * output columns use (a {@code view:feature}, a transformation, a {@code __event_timestamp} or
 * {@code __status} column), which would make two columns of one name; and a near miss of a name the
 * row must carry ({@code Timestamp}, {@code customerId}, {@code timestmp}), which is a typo that
 * would otherwise pass through silently while the row lacks what it meant to give.
 */
final class LabelFieldNames {

  private final Registry registry;
  private final List<String> columns = new ArrayList<>();
  private final List<String> reserved = new ArrayList<>();

  LabelFieldNames(Registry registry, SnapshotRequest request) {
    this.registry = registry;
    request.selection().columns().forEach(c -> columns.add(c.name()));
    reserved.add("timestamp");
    for (EntityDef key : request.joinKeys()) {
      reserved.add(key.joinKey());
    }
  }

  /** Refuses {@code name} for a field of row {@code index}, or lets it pass. */
  void check(String name, long index) {
    String where = "row " + index + " field '" + name + "'";
    if (name.isEmpty()) {
      throw ApiException.badRequest("row " + index + " has a field with an empty name");
    }
    if (name.indexOf(':') >= 0) {
      throw ApiException.badRequest(
          where + " is named like a feature (view:feature), which names output columns");
    }
    if (name.endsWith(SnapshotLayout.EVENT_TIMESTAMP_SUFFIX)
        || name.endsWith(SnapshotLayout.STATUS_SUFFIX)) {
      throw ApiException.badRequest(where + " is named like an output column");
    }
    if (columns.contains(name) || registry.transformation(name).isPresent()) {
      throw ApiException.badRequest(where + " is named like a transformation");
    }
    for (String meant : reserved) {
      if (nearMiss(name, meant)) {
        throw ApiException.badRequest(
            "row " + index + " has unknown field '" + name + "' (did you mean '" + meant + "'?)");
      }
    }
  }

  /**
   * Whether {@code name} looks like a misspelling of {@code meant}: the same once case, {@code _},
   * {@code -} and spaces are ignored, or one edit away (two for names of eight letters or more,
   * none for names under four, where one edit makes another word).
   */
  static boolean nearMiss(String name, String meant) {
    String a = normalized(name);
    String b = normalized(meant);
    if (a.equals(b)) {
      return true;
    }
    int allowed = b.length() >= 8 ? 2 : b.length() >= 4 ? 1 : 0;
    return Math.abs(a.length() - b.length()) <= allowed && distance(a, b) <= allowed;
  }

  private static String normalized(String name) {
    return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(" ", "");
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
