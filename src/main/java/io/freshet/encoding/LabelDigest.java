package io.freshet.encoding;

import io.freshet.model.Digests;
import java.security.MessageDigest;
import java.util.List;

/**
 * The digest of a request's label rows as Freshet parsed them, whatever body carried them: each row
 * written as one JSON object a line, its join keys in the layout's order, then {@code timestamp}
 * (UTC, stored precision), then its passed-through fields. Two snapshots with the same digest were
 * taken of the same rows in the same order.
 */
public final class LabelDigest {

  private static final byte[] TIMESTAMP_FIELD = RowBytes.jsonField("timestamp");
  private static final int ROWS_PER_UPDATE = 4096;

  private LabelDigest() {}

  public static String sha256(SnapshotLayout layout, LabelRows labels) {
    MessageDigest digest = Digests.create("SHA-256");
    byte[][] keyFields = fieldNames(layout.joinKeys());
    byte[][] labelFields = fieldNames(layout.labelFields());
    List<LabelField> fields = labels.labelFields();
    RowBytes out = new RowBytes(ROWS_PER_UPDATE * 64);
    for (int from = 0; from < labels.size(); from += ROWS_PER_UPDATE) {
      int to = Math.min(labels.size(), from + ROWS_PER_UPDATE);
      for (int row = from; row < to; row++) {
        out.write('{');
        for (int k = 0; k < keyFields.length; k++) {
          out.write(keyFields[k]);
          Object key = labels.keyOf(row, k);
          if (key instanceof Long) {
            out.decimal((Long) key);
          } else {
            out.jsonString(key.toString());
          }
          out.write(',');
        }
        out.write(TIMESTAMP_FIELD);
        out.jsonTimestamp(labels.at(row), TimestampPrecision.STORED);
        for (int f = 0; f < labelFields.length; f++) {
          out.write(',');
          out.write(labelFields[f]);
          fields.get(f).writeJson(row, out);
        }
        out.write('}');
        out.write('\n');
      }
      digest.update(out.array(), 0, out.size());
      out.clear();
    }
    return Digests.hex(digest);
  }

  private static byte[][] fieldNames(List<String> names) {
    byte[][] fields = new byte[names.size()][];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = RowBytes.jsonField(names.get(i));
    }
    return fields;
  }
}
