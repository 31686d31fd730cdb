package io.rowstream.group;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An upper bound of the number of instructions RE2/J compiles a pattern into, read from its text
 * before it is compiled. RE2/J expands counted repetitions into copies ({@code x{3}} is
 * {@code xxx}) and, unlike RE2, puts no bound on their product: {@code ((a{1000}){1000}){1000}},
 * 23 characters, compiles into a billion instructions and exhausts the heap, and a program of a
 * few thousand instructions costs milliseconds per topic name and recurses that deep while
 * matching. So a pattern is measured first, and compiled only when it is small.
 *
 * <p>The scan tokenizes as RE2/J's parser does in its Perl mode (escapes, {@code \Q…\E},
 * character classes with their leading {@code ]} and {@code [:name:]}, counted repetitions), and
 * counts generously where it is not exact: a flag group {@code (?i)} counts as a group, the
 * letters of {@code \x{41}} as literals. For every pattern RE2/J accepts the bound is at least
 * {@code Pattern.programSize()} ({@code PatternSizeTest} checks it on generated patterns); a
 * pattern it refuses may be measured anything, since it is never compiled past its parser.
 */
final class PatternSize {
  private PatternSize() {}

  /** Instructions of the program around any pattern: fail, the whole-match captures, match, an empty match. */
  private static final long PROGRAM_OVERHEAD = 5;
  /** Each group: its two capture instructions, and one for an empty match inside it. */
  private static final long GROUP_OVERHEAD = 3;
  /** Each {@code |}: the alternation's instruction, and one for an empty alternative. */
  private static final long ALTERNATIVE_OVERHEAD = 2;

  /** One level of parentheses: what it holds so far. */
  private static final class Level {
    /** Instructions of the finished parts: alternatives and atoms before {@link #last}. */
    private long done;
    /** Instructions of the last atom, which a following repetition operator applies to. */
    private long last;

    void atom(long size) {
      done = add(done, last);
      last = size;
    }

    void alternative() {
      done = add(add(done, last), ALTERNATIVE_OVERHEAD);
      last = 0;
    }

    long size() {
      return add(done, last);
    }
  }

  /** The bound, saturated at {@code cap + 1} (the caller compares it with {@code cap}). */
  static long upperBound(String pattern, long cap) {
    Deque<Level> outer = new ArrayDeque<>();
    Level level = new Level();
    int i = 0;
    int n = pattern.length();
    while (i < n) {
      char c = pattern.charAt(i);
      switch (c) {
        case '(' -> {
          outer.push(level);
          level = new Level();
          i++;
        }
        case ')' -> {
          if (outer.isEmpty()) {
            level.atom(1);
          } else {
            long group = add(level.size(), GROUP_OVERHEAD);
            level = outer.pop();
            level.atom(group);
          }
          i++;
        }
        case '|' -> {
          level.alternative();
          i++;
        }
        case '*', '+', '?' -> {
          level.last = add(level.last, 1);
          i++;
        }
        case '{' -> {
          int end = repeatEnd(pattern, i);
          if (end < 0) {
            level.atom(1);
            i++;
          } else {
            // RE2/J may read it as literal characters (a leading zero, say): count the larger.
            long copies = copies(pattern.substring(i + 1, end - 1));
            level.last =
                Math.max(add(multiply(copies, add(level.last, 2)), 2), add(level.last, end - i));
            i = end;
          }
        }
        case '[' -> {
          level.atom(1);
          i = classEnd(pattern, i);
        }
        case '\\' -> {
          if (i + 1 < n && pattern.charAt(i + 1) == 'Q') {
            int quoteEnd = pattern.indexOf("\\E", i + 2);
            int literalsEnd = quoteEnd < 0 ? n : quoteEnd;
            for (int j = i + 2; j < literalsEnd; j++) {
              level.atom(1);
            }
            i = quoteEnd < 0 ? n : quoteEnd + 2;
          } else {
            level.atom(1);
            i = escapeEnd(pattern, i);
          }
        }
        default -> {
          level.atom(1);
          i++;
        }
      }
      if (level.size() > cap) {
        return cap + 1;
      }
    }
    long total = level.size();
    while (!outer.isEmpty()) {
      Level parent = outer.pop();
      parent.atom(add(total, GROUP_OVERHEAD));
      total = parent.size();
    }
    return Math.min(add(total, PROGRAM_OVERHEAD), cap + 1);
  }

  /**
   * Where a counted repetition {@code {n}}, {@code {n,}} or {@code {n,m}} starting at {@code from}
   * ends (after its brace), or -1 when the brace is a literal there, as RE2/J reads it.
   */
  private static int repeatEnd(String p, int from) {
    int i = from + 1;
    int digits = digits(p, i);
    if (digits == 0) {
      return -1;
    }
    i += digits;
    if (i < p.length() && p.charAt(i) == ',') {
      i++;
      i += digits(p, i);
    }
    return i < p.length() && p.charAt(i) == '}' ? i + 1 : -1;
  }

  private static int digits(String p, int from) {
    int i = from;
    while (i < p.length() && p.charAt(i) >= '0' && p.charAt(i) <= '9') {
      i++;
    }
    return i - from;
  }

  /** The most copies a repetition makes: its maximum, or its minimum plus one when open. */
  private static long copies(String minMax) {
    int comma = minMax.indexOf(',');
    String max = comma < 0 ? minMax : minMax.substring(comma + 1);
    String bound = max.isEmpty() ? minMax.substring(0, comma) : max;
    long copies = number(bound) + (max.isEmpty() ? 1 : 0);
    return Math.max(copies, number(minMax.substring(0, comma < 0 ? minMax.length() : comma)));
  }

  /** A decimal count, saturated far above any count RE2/J accepts (1000). */
  private static long number(String digits) {
    return digits.length() > 6 ? 1_000_000 : Long.parseLong(digits);
  }

  /**
   * Where the character class opening at {@code from} ends (after its {@code ]}), as RE2/J's
   * parser reads it: a {@code ^} and then a {@code ]} right after the bracket are members,
   * {@code [:name:]} is one member, a backslash escapes what follows.
   */
  private static int classEnd(String p, int from) {
    int i = from + 1;
    if (i < p.length() && p.charAt(i) == '^') {
      i++;
    }
    boolean first = true;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == ']' && !first) {
        return i + 1;
      }
      first = false;
      if (p.startsWith("[:", i) && p.indexOf(":]", i + 2) >= 0) {
        i = p.indexOf(":]", i + 2) + 2;
      } else if (c == '\\') {
        i = escapeEnd(p, i);
      } else {
        i++;
      }
    }
    return p.length();
  }

  /**
   * Where the escape at {@code from} ends: a backslash and one character, or through the closing
   * brace of {@code \p{…}}, {@code \P{…}} and {@code \x{…}}.
   */
  private static int escapeEnd(String p, int from) {
    int i = from + 1;
    if (i >= p.length()) {
      return p.length();
    }
    char kind = p.charAt(i);
    if ((kind == 'p' || kind == 'P' || kind == 'x')
        && i + 1 < p.length()
        && p.charAt(i + 1) == '{') {
      int close = p.indexOf('}', i + 2);
      return close < 0 ? p.length() : close + 1;
    }
    return i + 1;
  }

  private static long add(long a, long b) {
    return Math.min(a + b, Long.MAX_VALUE / 4);
  }

  private static long multiply(long a, long b) {
    return a == 0 || b <= Long.MAX_VALUE / 4 / a ? a * b : Long.MAX_VALUE / 4;
  }
}
