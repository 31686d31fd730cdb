package io.rowstream.consumer;

import static io.rowstream.consumer.ConsumerCalls.binaryValues;
import static io.rowstream.consumer.ConsumerCalls.partitions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** REST Proxy v2 consumer instances with manual assignment, on one node. */
class ConsumerInstancesTest {
  static TestBroker broker;
  static TestHttp http;
  static ConsumerCalls calls;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("consumer_instances");
    http = broker.http();
    calls = new ConsumerCalls(broker);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void binary_instance_reads_its_partition_from_the_beginning_in_offset_order_and_advances() {
    calls.createTopic("bin", 2);
    calls.produceBinary("bin", 1, "a", "b", "c");
    var created = http.post(
        "/consumers/g-bin",
        TestHttp.V2,
        TestHttp.json(Map.of("name", "c1", "format", "binary", "auto.offset.reset", "latest")));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    assertThat(created.contentType()).isEqualTo(TestHttp.V2);
    assertThat(created.json().get("instance_id").asText()).isEqualTo("c1");
    assertThat(created.json().get("base_uri").asText())
        .isEqualTo(http.baseUrl() + "/consumers/g-bin/instances/c1");
    String c1 = "/consumers/g-bin/instances/c1";
    calls.post(http, c1 + "/assignments", partitions("bin", 1));
    calls.post(http, c1 + "/positions/beginning", partitions("bin", 1));

    JsonNode records = calls.records(http, c1, "?timeout=0", TestHttp.BINARY);
    assertThat(binaryValues(records)).containsExactly("a", "b", "c");
    assertThat(records.findValuesAsText("offset")).containsExactly("0", "1", "2");
    assertThat(records.get(0).get("topic").asText()).isEqualTo("bin");
    assertThat(records.get(0).get("partition").asInt()).isEqualTo(1);
    assertThat(calls.position("g-bin", "c1", "bin", 1)).isEqualTo(3);

    assertThat(calls.records(http, c1, "?timeout=0", TestHttp.BINARY)).isEmpty();
    calls.produceBinary("bin", 1, "d");
    var plainV2 = http.get(c1 + "/records?timeout=0", "Accept", TestHttp.V2);
    assertThat(plainV2.status())
        .as("application/vnd.kafka.v2+json counts as binary")
        .isEqualTo(200);
    assertThat(plainV2.contentType()).isEqualTo(TestHttp.BINARY);
    assertThat(binaryValues(plainV2.json())).containsExactly("d");
  }

  @Test
  void json_instance_reads_json_keys_and_values() {
    calls.createTopic("js", 1);
    calls.produce(
        "js",
        0,
        TestHttp.JSON,
        List.of(Map.of("key", "k1", "value", Map.of("n", 1)), Map.of("value", List.of(1, 2, 3))));
    String c = calls.assignedFromBeginning("g-js", Map.of("format", "json"), "js", 0);
    assertThat(c).startsWith("/consumers/g-js/instances/rest-consumer-");

    JsonNode records = calls.records(http, c, "?timeout=0", TestHttp.JSON);
    assertThat(records).hasSize(2);
    assertThat(records.get(0).get("key").asText()).isEqualTo("k1");
    assertThat(records.get(0).get("value").get("n").asInt()).isEqualTo(1);
    assertThat(records.get(1).get("key").isNull()).isTrue();
    assertThat(records.get(1).get("value").toString()).isEqualTo("[1,2,3]");
  }

  @Test
  void a_produce_wakes_a_waiting_read_long_before_its_timeout() throws Exception {
    calls.createTopic("wake", 3);
    calls.produceBinary("wake", 2, "old");
    String c = calls.create(http, "g-wake", Map.of("name", "w"));
    calls.post(http, c + "/assignments", partitions("wake", 0, 1, 2));
    calls.post(http, c + "/positions/end", partitions("wake"));
    assertThat(calls.position("g-wake", "w", "wake", 2)).isEqualTo(1);

    var read = calls.readWokenBy(0, c, () -> calls.produceBinary("wake", 2, "new"));

    assertThat(binaryValues(read.records())).containsExactly("new");
    assertThat(read.records().get(0).get("offset").asLong()).isEqualTo(1);
    // Well before both the 20 s timeout and the 10 s safety re-check: the append's signal woke it.
    assertThat(read.elapsedMs()).isLessThan(5_000);
    assertThat(calls.position("g-wake", "w", "wake", 2)).isEqualTo(2);
  }

  @Test
  void max_bytes_limits_a_read_but_never_below_one_record() {
    calls.createTopic("big", 1);
    String hundred = "x".repeat(100);
    calls.produceBinary("big", 0, hundred, hundred, hundred, hundred, hundred);
    String c = calls.assignedFromBeginning("g-big", Map.of("name", "b"), "big", 0);

    assertThat(calls.records(http, c, "?timeout=0&max_bytes=250", TestHttp.BINARY))
        .hasSize(2);
    assertThat(calls.position("g-big", "b", "big", 0)).isEqualTo(2);
    JsonNode one = calls.records(http, c, "?timeout=0&max_bytes=1", TestHttp.BINARY);
    assertThat(one).hasSize(1);
    assertThat(one.get(0).get("offset").asLong()).isEqualTo(2);
    assertThat(calls.records(http, c, "?timeout=0", TestHttp.BINARY)).hasSize(2);
  }

  @Test
  void auto_offset_reset_earliest_starts_at_the_log_start_and_latest_at_its_end() {
    calls.createTopic("reset", 1);
    calls.produceBinary("reset", 0, "r0", "r1", "r2");
    String early =
        calls.create(http, "g-reset", Map.of("name", "early", "auto.offset.reset", "earliest"));
    String late =
        calls.create(http, "g-reset", Map.of("name", "late", "auto.offset.reset", "latest"));
    calls.post(http, early + "/assignments", partitions("reset", 0));
    calls.post(http, late + "/assignments", partitions("reset", 0));
    assertThat(calls.position("g-reset", "late", "reset", 0))
        .as("no position before the first read")
        .isEqualTo(-1);

    assertThat(binaryValues(calls.records(http, early, "?timeout=0", TestHttp.BINARY)))
        .containsExactly("r0", "r1", "r2");
    assertThat(calls.records(http, late, "?timeout=0", TestHttp.BINARY)).isEmpty();
    assertThat(calls.position("g-reset", "late", "reset", 0)).isEqualTo(3);
    calls.produceBinary("reset", 0, "r3");
    assertThat(binaryValues(calls.records(http, late, "?timeout=0", TestHttp.BINARY)))
        .containsExactly("r3");

    // A position beyond the log end is out of range and reset the same way.
    calls.post(
        http,
        early + "/positions",
        TestHttp.json(
            Map.of("offsets", List.of(Map.of("topic", "reset", "partition", 0, "offset", 99)))));
    assertThat(binaryValues(calls.records(http, early, "?timeout=0", TestHttp.BINARY)))
        .containsExactly("r0", "r1", "r2", "r3");
  }

  @Test
  void auto_offset_reset_none_refuses_a_read_without_a_position_and_writes_nothing() {
    calls.createTopic("none", 1);
    calls.produceBinary("none", 0, "n0", "n1");
    String c = calls.create(http, "g-none", Map.of("name", "n", "auto.offset.reset", "none"));
    calls.post(http, c + "/assignments", partitions("none", 0));

    var refused = http.get(c + "/records?timeout=0", "Accept", TestHttp.BINARY);
    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo(40002);
    assertThat(refused.json().get("message").asText()).contains("auto.offset.reset is none");
    assertThat(calls.position("g-none", "n", "none", 0)).isEqualTo(-1);

    calls.post(
        http,
        c + "/positions",
        TestHttp.json(
            Map.of("offsets", List.of(Map.of("topic", "none", "partition", 0, "offset", 1)))));
    assertThat(binaryValues(calls.records(http, c, "?timeout=0", TestHttp.BINARY)))
        .containsExactly("n1");
  }

  @Test
  void config_values_may_be_strings_or_numbers_and_are_stored() {
    calls.create(
        http,
        "g-cfg",
        Map.of(
            "name",
            "s",
            "auto.commit.enable",
            "false",
            "fetch.min.bytes",
            "5",
            "consumer.request.timeout.ms",
            "250"));
    calls.create(
        http,
        "g-cfg",
        Map.of(
            "name",
            "n",
            "auto.commit.enable",
            false,
            "fetch.min.bytes",
            7,
            "consumer.request.timeout.ms",
            300,
            "format",
            "JSON"));
    assertThat(broker.queryLong("select request_timeout_ms + fetch_min_bytes from consumer_instance"
            + " where group_name = 'g-cfg' and instance_id = 's' and not auto_commit_enable"))
        .isEqualTo(255);
    assertThat(broker.queryLong("select request_timeout_ms + fetch_min_bytes from consumer_instance"
            + " where group_name = 'g-cfg' and instance_id = 'n' and format = 'json'"))
        .isEqualTo(307);
  }

  @Test
  void assignments_are_replaced_and_partitions_kept_keep_their_positions() {
    calls.createTopic("re", 3);
    calls.produceBinary("re", 0, "x", "y");
    String c = calls.assignedFromBeginning("g-re", Map.of("name", "r"), "re", 0, 1);
    calls.post(
        http,
        c + "/positions",
        TestHttp.json(
            Map.of("offsets", List.of(Map.of("topic", "re", "partition", 0, "offset", 1)))));

    calls.post(http, c + "/assignments", partitions("re", 2, 0));
    var listed = http.get(c + "/assignments");
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.contentType()).isEqualTo(TestHttp.V2);
    assertThat(listed.json().toString())
        .isEqualTo(
            "{\"partitions\":[{\"topic\":\"re\",\"partition\":0},{\"topic\":\"re\",\"partition\":2}]}");
    assertThat(calls.position("g-re", "r", "re", 0)).isEqualTo(1);
    assertThat(calls.position("g-re", "r", "re", 1)).as("unassigned").isEqualTo(-1);
  }

  @Test
  void a_request_touches_last_seen_at_and_renews_the_lease() {
    String c = calls.create(http, "g-seen", Map.of("name", "s"));
    broker.queryLong(
        "with u as (update consumer_instance set last_seen_at = now() - interval '1 hour',"
            + " lease_expires_at = now() + interval '1 second' where group_name = 'g-seen' returning 1)"
            + " select count(*) from u");
    assertThat(http.get(c + "/assignments").status()).isEqualTo(200);
    assertThat(
            broker.queryLong(
                "select count(*) from consumer_instance where group_name = 'g-seen'"
                    + " and last_seen_at > now() - interval '1 minute' and lease_expires_at > now() + interval '30 seconds'"))
        .isEqualTo(1);
  }

  @Test
  void an_idle_instance_lives_for_the_reference_consumer_instance_timeout_of_five_minutes() {
    String kept = calls.create(http, "g-idle", Map.of("name", "default"));
    String brief =
        calls.create(http, "g-idle", Map.of("name", "brief", "session.timeout.ms", 45_000));
    assertThat(broker.queryLong(
            "select session_timeout_ms from consumer_instance where instance_id = 'default'"))
        .isEqualTo(300_000);
    // Both silent for a minute: as if their last call had been then.
    broker.queryLong(
        "with u as (update consumer_instance set last_seen_at = now() - interval '60 seconds',"
            + " lease_expires_at = now() - interval '60 seconds' + session_timeout_ms * interval '1 millisecond'"
            + " where group_name = 'g-idle' returning 1) select count(*) from u");

    Await.until(
        "the reaper removed the instance with a 45 s timeout",
        Duration.ofSeconds(10),
        () -> http.get(brief + "/assignments").status() == 404);
    assertThat(http.get(kept + "/assignments").status())
        .as("idle for 60 s of its 300 s")
        .isEqualTo(200);
  }

  @Test
  void assignments_and_seeks_naming_a_partition_twice_take_its_last_entry() {
    calls.createTopic("twice", 2);
    calls.produceBinary("twice", 0, "a", "b", "c", "d");
    calls.produceBinary("twice", 1, "e", "f");
    String c = calls.create(http, "g-twice", Map.of("name", "t"));

    calls.post(http, c + "/assignments", partitions("twice", 0, 1, 0));
    assertThat(http.get(c + "/assignments").json().toString())
        .isEqualTo(
            "{\"partitions\":[{\"topic\":\"twice\",\"partition\":0},{\"topic\":\"twice\",\"partition\":1}]}");
    calls.post(
        http,
        c + "/positions",
        TestHttp.json(Map.of(
            "offsets",
            List.of(
                Map.of("topic", "twice", "partition", 0, "offset", 1),
                Map.of("topic", "twice", "partition", 0, "offset", 3)))));
    assertThat(calls.position("g-twice", "t", "twice", 0)).isEqualTo(3);
    calls.post(http, c + "/positions/end", partitions("twice", 1, 1));
    assertThat(calls.position("g-twice", "t", "twice", 1)).isEqualTo(2);
    calls.post(http, c + "/positions/beginning", partitions("twice", 0, 0));
    assertThat(calls.position("g-twice", "t", "twice", 0)).isZero();
  }
}
