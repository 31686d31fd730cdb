package io.rowstream.docs;

/** Bracket counting over JSON-like text, strings skipped: where a shown answer ends. */
final class Brackets {
  private Brackets() {}

  /** Whether the text opens at least one bracket and closes every one it opens. */
  static boolean closed(CharSequence text) {
    return end(text) >= 0;
  }

  /** The text up to where its first bracket closes (prose after it dropped), or all of it. */
  static String leading(String text) {
    int end = end(text);
    return end < 0 ? text : text.substring(0, end + 1);
  }

  private static int end(CharSequence text) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }
}
