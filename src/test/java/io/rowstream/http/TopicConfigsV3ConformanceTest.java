package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The openapi document's topic config operations, walked over real HTTP with authentication on:
 * listKafkaTopicConfigs, getKafkaTopicConfig, updateKafkaTopicConfig (PUT), deleteKafkaTopicConfig
 * (DELETE), updateKafkaTopicConfigBatch (configs:alter) and listKafkaAllTopicConfigs
 * ({@code topics/-/configs}), each with its happy path and documented errors: unknown topic, unknown
 * config, invalid value, not authorized.
 */
class TopicConfigsV3ConformanceTest {
  private static final String OVERRIDES =
      "select coalesce(string_agg(t.name || ':' || c.key || '=' || c.value, ',' "
          + "order by t.name, c.key), '') from topic t, jsonb_each_text(t.configs) c";

  private static TestBroker broker;
  private static TestHttp admin;
  private static TestHttp alice;
  private static String cid;
  private static String topics;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithAuth("topic_configs_v3_conformance");
    admin = broker.admin();
    cid = admin.clusterId();
    topics = "/v3/clusters/" + cid + "/topics";
    alice = admin.createUser("alice", "alice-pw");
    for (String topic : List.of("alpha", "beta", "gamma")) {
      admin.createTopic(topic, 1);
    }
    admin.allow("User:alice", "ALTER_CONFIGS", "TOPIC", "alpha");
    admin.allow("User:alice", "DESCRIBE_CONFIGS", "TOPIC", "beta");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Response put(TestHttp as, String topic, String name, String body) {
    return as.method("PUT", topics + "/" + topic + "/configs/" + name, "application/json", body);
  }

  private static JsonNode config(String topic, String name) {
    return admin
        .get(topics + "/" + topic + "/configs/" + name)
        .expectStatus(200)
        .json();
  }

  @Test
  void put_sets_an_override_that_get_reports_as_a_dynamic_topic_config() {
    Response r = put(alice, "alpha", "retention.ms", "{\"value\":\"3600000\"}");

    assertThat(r.status()).as(r.body()).isEqualTo(204);
    JsonNode config = config("alpha", "retention.ms");
    assertThat(config.get("kind").asText()).isEqualTo("KafkaTopicConfig");
    assertThat(config.get("metadata").get("self").asText())
        .isEqualTo(admin.baseUrl() + topics + "/alpha/configs/retention.ms");
    assertThat(config.get("metadata").get("resource_name").asText())
        .isEqualTo("crn:///kafka=" + cid + "/topic=alpha/config=retention.ms");
    assertThat(config.get("value").asText()).isEqualTo("3600000");
    assertThat(config.get("source").asText()).isEqualTo("DYNAMIC_TOPIC_CONFIG");
    assertThat(config.get("is_default").asBoolean()).isFalse();
    assertThat(broker.queryText(OVERRIDES)).contains("alpha:retention.ms=3600000");

    assertThat(put(alice, "alpha", "retention.ms", "{\"value\":\"7200000\"}").status())
        .isEqualTo(204);
    assertThat(config("alpha", "retention.ms").get("value").asText()).isEqualTo("7200000");
  }

  @Test
  void delete_resets_a_config_to_its_default_and_is_idempotent() {
    put(admin, "gamma", "segment.ms", "{\"value\":\"60000\"}").expectStatus(204);

    Response r = alice.delete(topics + "/alpha/configs/segment.ms");
    assertThat(r.status()).as(r.body()).isEqualTo(204);
    assertThat(admin.delete(topics + "/gamma/configs/segment.ms").status()).isEqualTo(204);

    JsonNode config = config("gamma", "segment.ms");
    assertThat(config.get("value").asText()).isEqualTo("604800000");
    assertThat(config.get("source").asText()).isEqualTo("DEFAULT_CONFIG");
    assertThat(config.get("is_default").asBoolean()).isTrue();
    assertThat(broker.queryText(OVERRIDES)).doesNotContain("segment.ms");
    assertThat(admin.delete(topics + "/gamma/configs/segment.ms").status()).isEqualTo(204);
  }

  @Test
  void put_and_delete_of_an_unknown_topic_are_404_and_write_nothing() {
    String before = broker.queryText(OVERRIDES);

    Response put = put(admin, "no-such-topic", "retention.ms", "{\"value\":\"1000\"}");
    Response delete = admin.delete(topics + "/no-such-topic/configs/retention.ms");

    TestHttp.assertError(put, 404, 40403);
    TestHttp.assertError(delete, 404, 40403);
    assertThat(broker.queryText(OVERRIDES)).isEqualTo(before);
  }

  @Test
  void put_and_delete_of_an_unknown_config_are_404_as_get_is() {
    String before = broker.queryText(OVERRIDES);

    TestHttp.assertError(put(admin, "alpha", "compression.typo", "{\"value\":\"gzip\"}"), 404, 404);
    TestHttp.assertError(admin.delete(topics + "/alpha/configs/compression.typo"), 404, 404);
    TestHttp.assertError(admin.get(topics + "/alpha/configs/compression.typo"), 404, 404);
    assertThat(broker.queryText(OVERRIDES)).isEqualTo(before);
  }

  @Test
  void put_of_an_invalid_or_missing_value_is_400_and_writes_nothing() {
    String before = broker.queryText(OVERRIDES);

    TestHttp.assertError(put(admin, "alpha", "segment.bytes", "{\"value\":\"12\"}"), 400, 40002);
    TestHttp.assertError(put(admin, "alpha", "retention.ms", "{\"value\":\"soon\"}"), 400, 40002);
    TestHttp.assertError(put(admin, "alpha", "retention.ms", "{}"), 400, 40002);
    // A field of the wrong JSON type is unreadable JSON to the reference's v3: 400 / 400.
    TestHttp.assertError(put(admin, "alpha", "retention.ms", "{\"value\":{\"ms\":1}}"), 400, 400);
    assertThat(broker.queryText(OVERRIDES)).isEqualTo(before);
  }

  @Test
  void changing_a_config_needs_alter_configs_on_the_topic() {
    String before = broker.queryText(OVERRIDES);

    TestHttp.assertError(put(alice, "beta", "retention.ms", "{\"value\":\"1000\"}"), 403, 40301);
    TestHttp.assertError(alice.delete(topics + "/beta/configs/retention.ms"), 403, 40301);
    TestHttp.assertError(put(alice, "gamma", "retention.ms", "{\"value\":\"1000\"}"), 403, 40301);
    TestHttp.assertError(
        alice.post(
            topics + "/beta/configs:alter",
            "application/json",
            "{\"data\":[{\"name\":\"retention.ms\",\"value\":\"1000\"}]}"),
        403,
        40301);
    assertThat(broker.queryText(OVERRIDES)).isEqualTo(before);
    assertThat(alice.get(topics + "/beta/configs/retention.ms").status()).isEqualTo(200);
    TestHttp.assertError(alice.get(topics + "/gamma/configs"), 403, 40301);
  }

  @Test
  void configs_alter_sets_and_deletes_all_or_nothing() {
    admin
        .post(
            topics + "/gamma/configs:alter",
            "application/json",
            "{\"data\":[{\"name\":\"retention.bytes\",\"value\":\"5000\"},{\"name\":\"cleanup.policy\","
                + "\"value\":\"compact\"}]}")
        .expectStatus(204);
    String before = broker.queryText(OVERRIDES);

    TestHttp.assertError(
        admin.post(
            topics + "/gamma/configs:alter",
            "application/json",
            "{\"data\":[{\"name\":\"retention.bytes\",\"operation\":\"DELETE\"},{\"name\":\"segment.bytes\","
                + "\"value\":\"1\"}]}"),
        400,
        40002);
    assertThat(broker.queryText(OVERRIDES)).isEqualTo(before);
    assertThat(admin
            .post(
                topics + "/no-such-topic/configs:alter",
                "application/json",
                "{\"data\":[{\"name\":\"retention.bytes\",\"value\":\"1\"}]}")
            .status())
        .isEqualTo(404);

    admin
        .post(
            topics + "/gamma/configs:alter",
            "application/json",
            "{\"data\":[{\"name\":\"retention.bytes\",\"operation\":\"DELETE\"},{\"name\":\"cleanup.policy\","
                + "\"operation\":\"DELETE\"}]}")
        .expectStatus(204);
    assertThat(config("gamma", "retention.bytes").get("source").asText())
        .isEqualTo("DEFAULT_CONFIG");
    assertThat(config("gamma", "cleanup.policy").get("value").asText()).isEqualTo("delete");
  }

  @Test
  void all_topic_configs_lists_each_topic_the_caller_may_describe_configs_of() {
    Response r = admin.get(topics + "/-/configs");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode list = r.json();
    assertThat(list.get("kind").asText()).isEqualTo("KafkaTopicConfigList");
    assertThat(list.get("metadata").get("self").asText())
        .isEqualTo(admin.baseUrl() + topics + "/-/configs");
    List<String> perTopic = TopicConfigsV3Test.KNOWN;
    assertThat(list.get("data")).hasSize(3 * perTopic.size());
    assertThat(list.get("data")
            .valueStream()
            .map(c -> c.get("topic_name").asText() + "/" + c.get("name").asText()))
        .containsExactlyElementsOf(List.of("alpha", "beta", "gamma").stream()
            .flatMap(t -> perTopic.stream().map(n -> t + "/" + n))
            .toList());
    JsonNode first = list.get("data").get(0);
    assertThat(first.get("kind").asText()).isEqualTo("KafkaTopicConfig");
    assertThat(first.get("metadata").get("self").asText())
        .isEqualTo(admin.baseUrl() + topics + "/alpha/configs/cleanup.policy");
    assertThat(first.get("cluster_id").asText()).isEqualTo(cid);

    JsonNode alices = alice.get(topics + "/-/configs").expectStatus(200).json();
    assertThat(alices
            .get("data")
            .valueStream()
            .map(c -> c.get("topic_name").asText())
            .distinct())
        .containsExactly("alpha", "beta");
  }

  @Test
  void all_topic_configs_reports_each_topics_own_overrides() {
    put(admin, "beta", "max.message.bytes", "{\"value\":\"2048\"}").expectStatus(204);

    JsonNode data = admin.get(topics + "/-/configs").expectStatus(200).json().get("data");

    JsonNode beta = data.valueStream()
        .filter(c -> c.get("topic_name").asText().equals("beta")
            && c.get("name").asText().equals("max.message.bytes"))
        .findFirst()
        .orElseThrow();
    assertThat(beta.get("value").asText()).isEqualTo("2048");
    assertThat(beta.get("source").asText()).isEqualTo("DYNAMIC_TOPIC_CONFIG");
    JsonNode alpha = data.valueStream()
        .filter(c -> c.get("topic_name").asText().equals("alpha")
            && c.get("name").asText().equals("max.message.bytes"))
        .findFirst()
        .orElseThrow();
    assertThat(alpha.get("source").asText()).isEqualTo("DEFAULT_CONFIG");
    admin.delete(topics + "/beta/configs/max.message.bytes").expectStatus(204);
  }

  @Test
  void every_operation_answers_404_for_another_cluster() {
    String other = "/v3/clusters/not-" + cid + "/topics";
    assertThat(admin.get(other + "/-/configs").status()).isEqualTo(404);
    assertThat(admin
            .method(
                "PUT",
                other + "/alpha/configs/retention.ms",
                "application/json",
                "{\"value\":\"1\"}")
            .status())
        .isEqualTo(404);
    assertThat(admin.delete(other + "/alpha/configs/retention.ms").status()).isEqualTo(404);
  }

  private static Response alterAll(TestHttp as, String body) {
    return as.post(topics + "/-/configs:alter", "application/json", body);
  }

  @Test
  void all_topics_alter_changes_the_configs_of_several_topics_at_once() {
    Response r = alterAll(
        alice,
        "{\"data\":[{\"topic_name\":\"alpha\",\"configs\":[{\"name\":\"retention.bytes\","
            + "\"value\":\"4096\"}]},{\"topic_name\":\"alpha\",\"configs\":[{\"name\":\"segment.ms\",\"value\":\"90000\"}]}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(204);
    assertThat(config("alpha", "segment.ms").get("value").asText())
        .as("the last entry of a topic wins")
        .isEqualTo("90000");
    assertThat(config("alpha", "retention.bytes").get("source").asText())
        .isEqualTo("DEFAULT_CONFIG");

    admin
        .post(
            topics + "/-/configs:alter",
            "application/json",
            "{\"data\":[{\"topic_name\":\"beta\",\"configs\":["
                + "{\"name\":\"retention.bytes\",\"value\":\"8192\"}]},{\"topic_name\":\"gamma\",\"configs\":["
                + "{\"name\":\"retention.bytes\",\"value\":\"16384\"}]},{\"topic_name\":\"alpha\",\"configs\":["
                + "{\"name\":\"segment.ms\",\"operation\":\"DELETE\"}]}]}")
        .expectStatus(204);
    assertThat(config("beta", "retention.bytes").get("value").asText()).isEqualTo("8192");
    assertThat(config("gamma", "retention.bytes").get("value").asText()).isEqualTo("16384");
    assertThat(config("alpha", "segment.ms").get("source").asText()).isEqualTo("DEFAULT_CONFIG");
    admin
        .post(
            topics + "/-/configs:alter",
            "application/json",
            "{\"data\":[{\"topic_name\":\"beta\",\"configs\":["
                + "{\"name\":\"retention.bytes\",\"operation\":\"DELETE\"}]},{\"topic_name\":\"gamma\",\"configs\":["
                + "{\"name\":\"retention.bytes\",\"operation\":\"DELETE\"}]}]}")
        .expectStatus(204);
  }

  @Test
  void all_topics_alter_is_all_or_nothing() {
    String before = broker.queryText(OVERRIDES);
    String good =
        "{\"topic_name\":\"beta\",\"configs\":[{\"name\":\"retention.ms\",\"value\":\"1000\"}]}";

    assertThat(alterAll(
                admin,
                "{\"data\":[" + good + ",{\"topic_name\":\"no-such-topic\",\"configs\":["
                    + "{\"name\":\"retention.ms\",\"value\":\"1000\"}]}]}")
            .status())
        .isEqualTo(404);
    TestHttp.assertError(
        alterAll(
            admin,
            "{\"data\":[" + good + ",{\"topic_name\":\"gamma\",\"configs\":["
                + "{\"name\":\"segment.bytes\",\"value\":\"1\"}]}]}"),
        400,
        40002);
    TestHttp.assertError(
        alterAll(
            admin,
            "{\"data\":[" + good + ",{\"topic_name\":\"gamma\",\"configs\":["
                + "{\"name\":\"no.such.config\",\"value\":\"1\"}]}]}"),
        400,
        40002);
    TestHttp.assertError(alterAll(admin, "{\"data\":[{\"configs\":[]}]}"), 400, 400);
    TestHttp.assertError(alterAll(admin, "{\"data\":\"x\"}"), 400, 400);
    assertThat(
            alterAll(admin, "{\"data\":[" + good + "],\"validate_only\":true}").status())
        .isEqualTo(204);
    assertThat(broker.queryText(OVERRIDES)).isEqualTo(before);
  }

  @Test
  void all_topics_alter_needs_alter_configs_on_every_topic_it_names() {
    String before = broker.queryText(OVERRIDES);

    TestHttp.assertError(
        alterAll(
            alice,
            "{\"data\":[{\"topic_name\":\"alpha\",\"configs\":[{\"name\":\"retention.ms\","
                + "\"value\":\"1000\"}]},{\"topic_name\":\"beta\",\"configs\":[{\"name\":\"retention.ms\",\"value\":\"1000\"}]}]}"),
        403,
        40301);
    assertThat(broker.queryText(OVERRIDES)).isEqualTo(before);
  }
}
