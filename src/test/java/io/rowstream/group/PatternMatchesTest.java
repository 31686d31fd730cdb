package io.rowstream.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pattern runs over a topic name once per node, whatever list of topics a caller passes. */
class PatternMatchesTest {
  private final PatternMatches matches = new PatternMatches();

  @Test
  void a_pattern_runs_once_over_each_name_whatever_list_it_is_given() {
    List<String> topics = List.of("orders-eu", "refunds", "orders-us", "audit");

    assertThat(matches.select("orders-.*", topics)).containsExactly("orders-eu", "orders-us");
    assertThat(matches.evaluations()).isEqualTo(4);
    assertThat(matches.select("orders-.*", topics)).containsExactly("orders-eu", "orders-us");
    assertThat(matches.select("orders-.*", List.of("orders-us", "audit")))
        .containsExactly("orders-us");
    assertThat(matches.evaluations()).isEqualTo(4);

    assertThat(matches.select("orders-.*", List.of("orders-eu", "orders-apac")))
        .containsExactly("orders-apac", "orders-eu");
    assertThat(matches.evaluations()).isEqualTo(5);
    assertThat(matches.select("orders|refunds", topics)).containsExactly("refunds");
    assertThat(matches.evaluations()).isEqualTo(9);
  }

  @Test
  void a_stored_pattern_the_broker_no_longer_accepts_matches_nothing() {
    assertThat(matches.select("(?=orders).*", List.of("orders", "refunds"))).isEmpty();
    assertThat(matches.evaluations()).isZero();
  }

  @Test
  void compiling_refuses_what_re2j_cannot_run_or_what_is_too_large_with_invalid_topic_pattern() {
    for (String refused : List.of(
        "(a)\\1",
        "(?<=a)b",
        "a++",
        "x".repeat(TopicPattern.MAX_LENGTH + 1),
        "((a{1000}){1000}){1000}",
        "(")) {
      assertThatThrownBy(() -> TopicPattern.compile(refused))
          .as(refused)
          .isInstanceOfSatisfying(BrokerException.class, e -> {
            assertThat(e.error()).isEqualTo(BrokerError.INVALID_TOPIC_PATTERN);
            assertThat(e.getMessage()).startsWith("topic_pattern is refused: ");
          });
    }
    assertThat(TopicPattern.compile("((a+)+)+b").matches("a".repeat(10_000))).isFalse();
    assertThat(TopicPattern.compile("(?i)ORDERS-[a-z]{2}").matches("orders-eu")).isTrue();
  }
}
