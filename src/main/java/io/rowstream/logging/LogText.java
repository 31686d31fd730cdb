package io.rowstream.logging;

/**
 * A value fit for one log line. Names, ids, paths, principals and error messages come from clients
 * (a group name, an instance id, a certificate subject, a config value) and may hold line breaks
 * that would forge whole log lines: every control character (and U+2028, U+2029) is written as an
 * escape ({@code \r}, {@code \n}, {@code \t}, else {@code \}{@code uXXXX}). Every log statement that
 * logs such a value passes it through {@link #of}.
 */
public final class LogText {
  private LogText() {}

  /** {@code String.valueOf(value)} with its control characters escaped. */
  public static String of(Object value) {
    String text = String.valueOf(value);
    int first = firstToEscape(text);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> {
          if (needsEscape(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static int firstToEscape(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (needsEscape(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean needsEscape(char c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
  }
}
