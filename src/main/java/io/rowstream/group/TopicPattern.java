package io.rowstream.group;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;

/**
 * A consumer's {@code topic_pattern}, compiled: a regular expression matched against whole topic
 * names, as Kafka's {@code subscribe(Pattern)}. It runs on RE2/J, whose matching time is linear
 * in the pattern's and the name's length (no backtracking, so no pattern can take exponential
 * time); its syntax is Java's for what topic patterns use (alternatives, classes, {@code .*},
 * counted repetitions, {@code (?i)}), without backreferences, lookaround or possessive quantifiers.
 */
public final class TopicPattern {
  /** The longest pattern accepted, in characters (a topic name has at most 249). */
  public static final int MAX_LENGTH = 1000;
  /**
   * The most instructions a pattern may compile into, counted repetitions expanded; a pattern of
   * {@link #MAX_LENGTH} characters without them stays below it. It bounds the memory a pattern
   * takes, its recursion while matching, and the time of one match (a few milliseconds at most
   * for a 249-character name).
   */
  static final int MAX_PROGRAM_SIZE = 2000;

  private final Pattern compiled;

  private TopicPattern(Pattern compiled) {
    this.compiled = compiled;
  }

  /** The compiled pattern; INVALID_TOPIC_PATTERN (422 / 42204 over HTTP) when it cannot be accepted. */
  public static TopicPattern compile(String source) {
    if (source.length() > MAX_LENGTH) {
      throw refused(
          "it has " + source.length() + " characters, more than the " + MAX_LENGTH + " allowed");
    }
    if (PatternSize.upperBound(source, MAX_PROGRAM_SIZE) > MAX_PROGRAM_SIZE) {
      throw refused("its repetitions expand to more than " + MAX_PROGRAM_SIZE
          + " steps; nest fewer or " + "smaller {n,m} counts");
    }
    try {
      return new TopicPattern(Pattern.compile(source));
    } catch (PatternSyntaxException e) {
      throw refused("it is not a regular expression the broker runs (" + e.getDescription()
          + " at `" + e.getPattern()
          + "`; backreferences, lookaround and possessive quantifiers are not supported)");
    }
  }

  private static BrokerException refused(String why) {
    return new BrokerException(
        BrokerError.INVALID_TOPIC_PATTERN, "topic_pattern is refused: " + why + ".");
  }

  public String source() {
    return compiled.pattern();
  }

  /** Whether the whole of {@code topic} matches. */
  public boolean matches(String topic) {
    return compiled.matches(topic);
  }

  @Override
  public String toString() {
    return source();
  }
}
