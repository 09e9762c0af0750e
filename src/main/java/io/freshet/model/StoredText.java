package io.freshet.model;

/**
 * Whether a string can be kept as it was sent. Postgres's text and jsonb refuse U+0000, so a key or
 * value holding one failed its statement as an internal error. A lone UTF-16 surrogate (JSON's
 * {@code "\ud800"} escape makes one) has no UTF-8 form: the Postgres client would store it as
 * {@code ?}, another value than the one acknowledged, and the snapshot encoder cannot write it at
 * all. Keys, string values and the strings of label rows with either are refused where they arrive,
 * and a read never asks for a key that no write could have made.
 */
public final class StoredText {

  /** What a refusal says a string must be, after "a string". */
  public static final String REQUIREMENT = "without U+0000 or unpaired surrogates";

  private StoredText() {}

  public static boolean storable(String text) {
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c == 0) {
        return false;
      }
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c)
            || i + 1 == n
            || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      }
    }
    return true;
  }
}
