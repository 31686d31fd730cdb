package io.rowstream.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.group.GroupCalls.Consumed;
import io.rowstream.log.TopicPartition;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code topic_pattern} is a client-supplied regular expression matched against every topic
 * name: it must not stall the node (issue 17, finding 3). Patterns run on a linear-time engine,
 * a pattern the broker cannot accept (a backreference, lookaround, too long, too large once its
 * repetitions are expanded) is refused with 422 / 42204, and ordinary patterns keep working.
 */
class PatternSubscriptionSafetyTest {
  @RegisterExtension
  static final GroupCalls calls = GroupCalls.perClass("pattern_safety", 50);

  final TestBroker broker = calls.broker();
  final TestHttp http = broker.http();

  /** Exponential for a backtracking engine on a name of 'a's: 2^40 steps on the topic below. */
  private static final String CATASTROPHIC = "((a+)+)+b";

  private static final String FORTY_AS = "a".repeat(40);
  /** Far longer than a linear-time subscribe takes, and far shorter than 2^40 backtracking steps. */
  private static final long GENEROUS_SECONDS = 10;

  private TestHttp.Response subscribePattern(String member, String pattern) {
    return http.post(
        member + "/subscription", TestHttp.V2, TestHttp.json(Map.of("topic_pattern", pattern)));
  }

  @Test
  void twenty_concurrent_catastrophic_patterns_subscribe_promptly_and_the_node_keeps_serving()
      throws Exception {
    http.createTopic(FORTY_AS, 1);
    http.createTopic("served", 1);
    List<String> members = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      members.add(calls.member(http, "g-redos", "m" + i, Map.of()));
    }

    List<CompletableFuture<TestHttp.Response>> subscribes = members.stream()
        .map(m ->
            CompletableFuture.supplyAsync(() -> subscribePattern(m, CATASTROPHIC), calls.threads()))
        .toList();
    CompletableFuture.allOf(subscribes.toArray(CompletableFuture[]::new))
        .get(GENEROUS_SECONDS, TimeUnit.SECONDS);

    for (var subscribe : subscribes) {
      assertThat(subscribe.get().status()).as(subscribe.get().body()).isEqualTo(204);
    }
    assertThat(http.get(members.get(0) + "/subscription").json().toString())
        .isEqualTo("{\"topics\":[],\"topic_pattern\":\"((a+)+)+b\"}");
    // The node still serves produce and fetch.
    calls.produce("served", 1, "still", 1);
    String reader = calls.member(http, "g-served", "r", Map.of());
    GroupCalls.post204(http, reader + "/assignments", GroupCalls.partitions("served", 0));
    assertThat(calls.poll(http, reader, 5_000))
        .extracting(Consumed::value)
        .containsExactly("still-0-0");
  }

  @Test
  void a_nested_quantifier_pattern_that_matches_a_long_name_selects_it() {
    http.createTopic("b" + FORTY_AS, 1);
    String m = calls.member(http, "g-nested", "m", Map.of());

    assertThat(subscribePattern(m, "b((a+)+)+").status()).isEqualTo(204);

    assertThat(http.get(m + "/subscription").json().get("topics").toString())
        .isEqualTo("[\"b" + FORTY_AS + "\"]");
    assertThat(calls.assignment(http, m)).containsExactly(new TopicPartition("b" + FORTY_AS, 0));
  }

  @Test
  void backreferences_and_lookaround_are_refused_with_42204_and_change_nothing() {
    String m = calls.member(http, "g-syntax", "m", Map.of());
    String state = calls.groupState("g-syntax");

    for (String pattern : List.of("(a)\\1", "(?=a)a.*", "(?!x).*", "(?<=a)b", "a++")) {
      var r = subscribePattern(m, pattern);
      TestHttp.assertError(r, 422, 42204);
      assertThat(r.json().get("message").asText()).as(pattern).contains("topic_pattern");
    }
    assertThat(calls.groupState("g-syntax")).isEqualTo(state);
    assertThat(http.get(m + "/subscription").json().toString()).isEqualTo("{\"topics\":[]}");
  }

  @Test
  void a_pattern_over_the_length_limit_or_expanding_too_far_is_refused_with_42204() {
    http.createTopic("limit", 1);
    String m = calls.member(http, "g-limit", "m", Map.of());

    var tooLong = subscribePattern(m, "l".repeat(1_001));
    TestHttp.assertError(tooLong, 422, 42204);
    assertThat(tooLong.json().get("message").asText()).contains("1000");
    // 23 characters, a billion instructions once the repetitions are expanded.
    TestHttp.assertError(subscribePattern(m, "((a{1000}){1000}){1000}"), 422, 42204);
    assertThat(http.get(m + "/subscription").json().toString()).isEqualTo("{\"topics\":[]}");

    assertThat(subscribePattern(m, "(limit)?" + "x?".repeat(496)).status()).isEqualTo(204);
    assertThat(calls.assignment(http, m)).containsExactly(new TopicPartition("limit", 0));
  }

  @Test
  void alternatives_and_prefixes_select_their_topics_and_pick_up_topics_created_later() {
    http.createTopic("orders", 1);
    http.createTopic("refunds", 1);
    http.createTopic("orders-eu", 1);
    String exact = calls.member(http, "g-alt", "m", Map.of());
    String prefixed = calls.member(http, "g-prefix", "m", Map.of());

    assertThat(subscribePattern(exact, "orders|refunds").status()).isEqualTo(204);
    assertThat(subscribePattern(prefixed, "orders-.*").status()).isEqualTo(204);

    assertThat(http.get(exact + "/subscription").json().get("topics").toString())
        .isEqualTo("[\"orders\",\"refunds\"]");
    assertThat(http.get(prefixed + "/subscription").json().get("topics").toString())
        .isEqualTo("[\"orders-eu\"]");
    http.createTopic("orders-us", 1);
    GroupCalls.await(
        "orders-us is assigned",
        Duration.ofSeconds(10),
        () -> calls.assignment(http, prefixed).contains(new TopicPartition("orders-us", 0)));
    assertThat(http.get(prefixed + "/subscription").json().get("topics").toString())
        .isEqualTo("[\"orders-eu\",\"orders-us\"]");
    assertThat(calls.assignment(http, exact))
        .containsExactlyInAnyOrder(
            new TopicPartition("orders", 0), new TopicPartition("refunds", 0));
  }
}
