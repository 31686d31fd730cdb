package io.rowstream.group;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The size bound read from a pattern's text is never below what RE2/J compiles it into. */
class PatternSizeTest {
  private static final long CAP = 100_000;
  /** Pieces RE2/J reads in different ways: groups, flags, classes, escapes, quoting, repetitions. */
  private static final List<String> PIECES = List.of(
      "a",
      "b",
      ".",
      "[ab]",
      "[]a]",
      "[^]]",
      "[a-]",
      "[[:alpha:]]",
      "[\\]x]",
      "[(]",
      "[|{]",
      "\\d",
      "\\pL",
      "\\p{Greek}",
      "\\x{41}",
      "\\x41",
      "\\Qa(b|\\E",
      "\\Q{2}\\E",
      "(",
      ")",
      "(?:",
      "(?i)",
      "(?i:",
      "(?P<n",
      "|",
      "*",
      "+",
      "?",
      "*?",
      "{2}",
      "{0}",
      "{1,3}",
      "{2,}",
      "{01}",
      "{,2}",
      "{",
      "}",
      "^",
      "$",
      "\\b",
      "\\.",
      "\\\\",
      "\\{");

  @Test
  void the_bound_covers_the_compiled_size_of_generated_patterns() {
    Random random = new Random(17);
    int compiled = 0;
    for (int i = 0; i < 30_000; i++) {
      StringBuilder p = new StringBuilder();
      int length = 1 + random.nextInt(24);
      for (int j = 0; j < length; j++) {
        String piece = PIECES.get(random.nextInt(PIECES.size()));
        p.append(piece.equals("(?P<n") ? piece + j + ">" : piece);
      }
      String pattern = p.toString();
      long bound = PatternSize.upperBound(pattern, CAP);
      if (bound > CAP) {
        continue;
      }
      Pattern re;
      try {
        re = Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        continue;
      }
      compiled++;
      assertThat(bound).as(pattern).isGreaterThanOrEqualTo(re.programSize());
    }
    assertThat(compiled).as("patterns RE2/J accepted").isGreaterThan(3_000);
  }

  @Test
  void nested_and_large_repetitions_are_measured_expanded() {
    assertThat(PatternSize.upperBound("((a{1000}){1000}){1000}", TopicPattern.MAX_PROGRAM_SIZE))
        .isGreaterThan(TopicPattern.MAX_PROGRAM_SIZE);
    assertThat(PatternSize.upperBound("(a?){1000}", TopicPattern.MAX_PROGRAM_SIZE))
        .isGreaterThan(TopicPattern.MAX_PROGRAM_SIZE);
    assertThat(PatternSize.upperBound("[(]{1000}[)]{1000}x{1000}", TopicPattern.MAX_PROGRAM_SIZE))
        .isGreaterThan(TopicPattern.MAX_PROGRAM_SIZE);
  }

  @Test
  void patterns_of_the_length_limit_without_repetition_counts_fit() {
    for (String pattern : List.of(
        "x?".repeat(500),
        "(orders|refunds)-".repeat(58),
        "[a-z0-9._-]{1,249}",
        "a".repeat(TopicPattern.MAX_LENGTH),
        "(?:a*)".repeat(166))) {
      assertThat(PatternSize.upperBound(pattern, TopicPattern.MAX_PROGRAM_SIZE))
          .as(pattern)
          .isLessThanOrEqualTo(TopicPattern.MAX_PROGRAM_SIZE);
    }
  }
}
