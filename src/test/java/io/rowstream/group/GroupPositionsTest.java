package io.rowstream.group;

import static io.rowstream.group.GroupCalls.partitions;
import static io.rowstream.group.GroupCalls.post204;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.group.GroupCalls.Consumed;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Positions of a subscribed member over HTTP: seeks to an offset, the beginning, the end and a
 * time decide where its next read starts; a read waits up to {@code timeout} and returns at most
 * {@code max_bytes} (but always one record).
 */
class GroupPositionsTest {
  @RegisterExtension
  static final GroupCalls calls = GroupCalls.perClass("group_positions", 1_000);

  final TestBroker broker = calls.broker();
  final TestHttp http = broker.http();

  private List<String> values(String member) {
    return calls.poll(http, member, 0).stream().map(Consumed::value).toList();
  }

  private void seekToTime(String member, Object timestamp) {
    post204(
        http,
        member + "/positions",
        TestHttp.json(Map.of(
            "timestamps",
            List.of(Map.of("topic", "times", "partition", 0, "timestamp", timestamp)))));
  }

  @Test
  void seeks_to_an_offset_the_beginning_the_end_and_a_time_set_where_the_next_read_starts() {
    http.createTopic("times", 1);
    Map<String, Long> first = new LinkedHashMap<>();
    first.put("t1", 1_000L);
    first.put("t2", 2_000L);
    first.put("t3", 3_000L);
    calls.produceAt("times", 0, first);
    Map<String, Long> second = new LinkedHashMap<>();
    second.put("t4", 4_000L);
    second.put("t5", 5_000L);
    calls.produceAt("times", 0, second);
    String m = calls.joined(http, "g-times", "m", Map.of("auto.commit.enable", "false"), "times");

    assertThat(values(m)).containsExactly("t1", "t2", "t3", "t4", "t5");
    post204(
        http,
        m + "/positions",
        TestHttp.json(
            Map.of("offsets", List.of(Map.of("topic", "times", "partition", 0, "offset", 3)))));
    assertThat(values(m)).containsExactly("t4", "t5");
    post204(http, m + "/positions/beginning", partitions("times", 0));
    assertThat(values(m)).containsExactly("t1", "t2", "t3", "t4", "t5");
    post204(http, m + "/positions/beginning", "");
    post204(http, m + "/positions/end", partitions("times", 0));
    assertThat(values(m)).isEmpty();

    seekToTime(m, 2_500L);
    assertThat(values(m)).as("inside the first chunk").containsExactly("t3", "t4", "t5");
    seekToTime(m, "1970-01-01T00:00:04Z");
    assertThat(values(m)).as("an ISO-8601 time, the second chunk").containsExactly("t4", "t5");
    seekToTime(m, 2_000L);
    assertThat(values(m))
        .as("a record at exactly the time")
        .containsExactly("t2", "t3", "t4", "t5");
    seekToTime(m, 9_000L);
    assertThat(calls.committed("g-times", "times", 0)).isEqualTo(-1);
    assertThat(broker.queryLong(
            "select position from consumer_assignment where group_name = 'g-times'"))
        .as("after the last record: the log end")
        .isEqualTo(5);
    assertThat(values(m)).isEmpty();
  }

  @Test
  void a_read_waits_up_to_its_timeout_and_returns_at_most_max_bytes_but_always_one_record() {
    calls.filledTopic("waits", 1, "w", 3);
    String m = calls.joined(http, "g-waits", "m", Map.of("auto.commit.enable", "false"), "waits");

    var one = http.get(m + "/records?timeout=0&max_bytes=1", "Accept", TestHttp.BINARY);
    assertThat(GroupCalls.consumed(one.json()))
        .extracting(Consumed::value)
        .containsExactly("w-0-0");
    assertThat(calls.poll(http, m, 0))
        .extracting(Consumed::value)
        .containsExactly("w-0-1", "w-0-2");

    long started = System.nanoTime();
    assertThat(calls.poll(http, m, 400)).isEmpty();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(400);
  }
}
