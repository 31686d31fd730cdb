package io.rowstream.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Kafka's ACL semantics over produce, fetch, group and admin routes. */
class AclMatrixTest {
  private static final String RECORD = "{\"records\":[{\"value\":\"aGk=\"}]}";
  private static TestBroker broker;
  private static TestHttp admin;
  private static TestHttp alice;
  private static TestHttp bob;
  private static String base;

  @BeforeAll
  static void start() {
    OpsConfig.Auth auth = new OpsConfig.Auth(
        true,
        Set.of("User:admin"),
        Optional.of("admin"),
        Optional.of("admin-pw"),
        false,
        Duration.ofSeconds(5));
    broker = TestBroker.start("acls", c -> c.withOps(c.ops().withAuth(auth)));
    admin = broker.http().as("admin", "admin-pw");
    base = "/v3/clusters/" + admin.clusterId();
    for (String user : List.of("alice", "bob")) {
      admin.post(
          base + "/users",
          "application/json",
          TestHttp.json(Map.of("name", user, "password", user + "-pw")));
    }
    alice = broker.http().as("alice", "alice-pw");
    bob = broker.http().as("bob", "bob-pw");
    for (String topic : List.of("orders-a", "orders-b", "orders-secret", "payments")) {
      admin.createTopic(topic, 1);
    }
    acl("TOPIC", "orders-", "PREFIXED", "User:alice", "WRITE", "ALLOW");
    acl("TOPIC", "orders-secret", "LITERAL", "User:alice", "ALL", "DENY");
    acl("TOPIC", "orders-a", "LITERAL", "User:alice", "READ", "ALLOW");
    acl("GROUP", "team-a-", "PREFIXED", "User:alice", "READ", "ALLOW");
    acl("TOPIC", "alice-", "PREFIXED", "User:alice", "CREATE", "ALLOW");
    acl("TOPIC", "payments", "LITERAL", "User:*", "DESCRIBE", "ALLOW");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static void acl(
      String type, String name, String pattern, String principal, String op, String permission) {
    Response r = admin.post(
        base + "/acls",
        "application/json",
        TestHttp.json(Map.of(
            "resource_type",
            type,
            "resource_name",
            name,
            "pattern_type",
            pattern,
            "principal",
            principal,
            "operation",
            op,
            "permission",
            permission)));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private static long records(String topic) {
    return broker.queryLong(
        "select coalesce(sum(p.log_end_offset), 0) from topic_partition p join topic t "
            + "using (topic_id) where t.name = '" + topic + "'");
  }

  @Test
  void produce_is_allowed_by_a_prefixed_write_and_a_deny_beats_it() {
    assertThat(alice.post("/topics/orders-a", TestHttp.BINARY, RECORD).status()).isEqualTo(200);
    assertThat(
            alice.post("/topics/orders-b/partitions/0", TestHttp.BINARY, RECORD).status())
        .isEqualTo(200);
    long before = records("orders-secret");
    TestHttp.assertError(alice.post("/topics/orders-secret", TestHttp.BINARY, RECORD), 403, 40301);
    TestHttp.assertError(
        alice.post(
            base + "/topics/orders-secret/records",
            "application/json",
            "{\"value\":{\"type\":\"STRING\",\"data\":\"x\"}}"),
        403,
        40301);
    TestHttp.assertError(alice.post("/topics/payments", TestHttp.BINARY, RECORD), 403, 40301);
    TestHttp.assertError(bob.post("/topics/orders-a", TestHttp.BINARY, RECORD), 403, 40301);
    assertThat(records("orders-secret")).isEqualTo(before);
    assertThat(records("payments")).isZero();
  }

  @Test
  void fetch_needs_read_which_write_does_not_imply() {
    assertThat(alice
            .get(
                "/topics/orders-a/partitions/0/records?offset=0&timeout=0",
                "Accept",
                TestHttp.BINARY)
            .status())
        .isEqualTo(200);
    TestHttp.assertError(
        alice.get(
            "/topics/orders-b/partitions/0/records?offset=0&timeout=0", "Accept", TestHttp.BINARY),
        403,
        40301);
    TestHttp.assertError(
        bob.get(
            "/topics/orders-a/partitions/0/records?offset=0&timeout=0", "Accept", TestHttp.BINARY),
        403,
        40301);
  }

  @Test
  void listings_show_only_what_the_caller_may_describe() {
    assertThat(alice.get("/topics").json().toString())
        .contains("orders-a", "orders-b", "payments")
        .doesNotContain("orders-secret");
    assertThat(bob.get("/topics").json().toString()).isEqualTo("[\"payments\"]");
    assertThat(bob.get(base + "/topics").body()).contains("payments").doesNotContain("orders-a");
    TestHttp.assertError(bob.get("/topics/orders-a"), 403, 40301);
    TestHttp.assertError(bob.get("/topics/no-such-topic"), 403, 40301);
    assertThat(admin.get("/topics").json()).hasSize(4);
  }

  @Test
  void consumers_need_read_on_their_group_and_on_every_topic_they_choose() {
    String create = "{\"name\":\"c1\",\"format\":\"binary\"}";
    assertThat(alice.post("/consumers/team-a-1", TestHttp.V2, create).status()).isEqualTo(200);
    TestHttp.assertError(alice.post("/consumers/team-b", TestHttp.V2, create), 403, 40301);
    TestHttp.assertError(
        bob.post("/consumers/team-a-1", TestHttp.V2, create.replace("c1", "c2")), 403, 40301);
    String instance = "/consumers/team-a-1/instances/c1";
    TestHttp.assertError(
        alice.post(instance + "/subscription", TestHttp.V2, "{\"topics\":[\"orders-b\"]}"),
        403,
        40301);
    TestHttp.assertError(
        alice.post(instance + "/subscription", TestHttp.V2, "{\"topic_pattern\":\"orders-.*\"}"),
        403,
        40301);
    TestHttp.assertError(
        alice.post(
            instance + "/assignments",
            TestHttp.V2,
            "{\"partitions\":[{\"topic\":\"payments\",\"partition\":0}]}"),
        403,
        40301);
    assertThat(broker.queryLong("select count(*) from consumer_assignment")).isZero();
    assertThat(alice
            .post(instance + "/subscription", TestHttp.V2, "{\"topics\":[\"orders-a\"]}")
            .status())
        .isEqualTo(204);
    TestHttp.assertError(bob.get(instance + "/records", "Accept", TestHttp.BINARY), 403, 40301);
    assertThat(alice.get(base + "/consumer-groups").body()).contains("team-a-1");
    assertThat(bob.get(base + "/consumer-groups").body()).doesNotContain("team-a-1");
    TestHttp.assertError(bob.get(base + "/consumer-groups/team-a-1/lags"), 403, 40301);
  }

  @Test
  void admin_routes_need_create_delete_alter_or_configs_rights() {
    String topics = base + "/topics";
    Response created = alice.post(
        topics, "application/json", "{\"topic_name\":\"alice-1\",\"partitions_count\":1}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    TestHttp.assertError(
        alice.post(topics, "application/json", "{\"topic_name\":\"bobs\",\"partitions_count\":1}"),
        403,
        40301);
    assertThat(broker.queryLong("select count(*) from topic where name = 'bobs'"))
        .isZero();
    TestHttp.assertError(alice.delete(topics + "/orders-a"), 403, 40301);
    TestHttp.assertError(
        alice.post(topics + "/orders-a/partitions", "application/json", "{\"partitions_count\":3}"),
        403,
        40301);
    TestHttp.assertError(
        alice.post(
            topics + "/orders-a/configs:alter",
            "application/json",
            "{\"data\":[{\"name\":\"retention.ms\",\"value\":\"1000\"}]}"),
        403,
        40301);
    TestHttp.assertError(alice.get(topics + "/orders-a/configs"), 403, 40301);
    assertThat(broker.queryLong("select partition_count from topic where name = 'orders-a'"))
        .isEqualTo(1);
    TestHttp.assertError(alice.get(base + "/acls"), 403, 40301);
    TestHttp.assertError(alice.get("/metrics"), 403, 40301);
  }

  @Test
  void cluster_wide_config_defaults_need_describe_configs_or_alter_configs_on_the_cluster() {
    admin.post(
        base + "/users",
        "application/json",
        TestHttp.json(Map.of("name", "carol", "password", "carol-pw")));
    TestHttp carol = broker.http().as("carol", "carol-pw");
    String configs = base + "/broker-configs";
    String segmentBytes = configs + "/log.segment.bytes";
    String value = "{\"value\":\"1048576\"}";
    TestHttp.assertError(carol.get(configs), 403, 40301);
    TestHttp.assertError(carol.get(segmentBytes), 403, 40301);
    TestHttp.assertError(carol.method("PUT", segmentBytes, "application/json", value), 403, 40301);
    TestHttp.assertError(alice.method("PUT", segmentBytes, "application/json", value), 403, 40301);

    acl("CLUSTER", "kafka-cluster", "LITERAL", "User:carol", "DESCRIBE_CONFIGS", "ALLOW");
    assertThat(carol.get(configs).status()).isEqualTo(200);
    TestHttp.assertError(carol.method("PUT", segmentBytes, "application/json", value), 403, 40301);
    TestHttp.assertError(carol.delete(segmentBytes), 403, 40301);
    TestHttp.assertError(
        carol.post(
            configs + ":alter",
            "application/json",
            "{\"data\":[{\"name\":\"log.segment.bytes\",\"value\":\"1048576\"}]}"),
        403,
        40301);
    assertThat(broker.queryLong("select count(*) from cluster_config")).isZero();

    acl("CLUSTER", "kafka-cluster", "LITERAL", "User:carol", "ALTER_CONFIGS", "ALLOW");
    assertThat(carol.method("PUT", segmentBytes, "application/json", value).status())
        .isEqualTo(204);
    assertThat(
            broker.queryText("select value from cluster_config where name = 'log.segment.bytes'"))
        .isEqualTo("1048576");
    assertThat(carol.delete(segmentBytes).status()).isEqualTo(204);
    assertThat(admin.get(segmentBytes).json().get("source").asText()).isEqualTo("DEFAULT_CONFIG");
  }

  @Test
  void acls_are_managed_over_http_and_visible_in_sql() {
    acl("GROUP", "audit", "LITERAL", "User:bob", "DESCRIBE", "ALLOW");
    Response listed = admin.get(base + "/acls?principal=User:bob");
    assertThat(listed.json().get("data")).hasSize(1);
    assertThat(broker.queryText("select operation || ' ' || resource_type || ' ' || resource_name "
            + "from acl_overview where principal = 'User:bob'"))
        .isEqualTo("DESCRIBE GROUP audit");
    assertThat(
            broker.queryText(
                "select array_to_string(matching_resources, ',') from acl_overview "
                    + "where principal = 'User:alice' and resource_name = 'orders-' and permission = 'ALLOW'"))
        .isEqualTo("orders-a,orders-b,orders-secret");
    Response deleted =
        admin.delete(base + "/acls?principal=User:bob&resource_type=GROUP&pattern_type=ANY"
            + "&operation=ANY&permission=ANY");
    assertThat(deleted.json().get("data")).hasSize(1);
    assertThat(broker.queryLong("select count(*) from acl where principal = 'User:bob'"))
        .isZero();
    TestHttp.assertError(
        admin.post(base + "/acls", "application/json", "{\"resource_type\":\"TABLE\"}"),
        400,
        40002);
  }

  @Test
  void
      deleting_acls_needs_resource_type_pattern_type_operation_and_permission_and_deletes_nothing_without() {
    acl("TOPIC", "dave-", "PREFIXED", "User:dave", "READ", "ALLOW");
    acl("GROUP", "dave", "LITERAL", "User:dave", "READ", "ALLOW");
    acl("TOPIC", "dave-secret", "LITERAL", "User:dave", "ALL", "DENY");
    String all = "resource_type=ANY&pattern_type=ANY&operation=ANY&permission=ANY";
    for (String required : List.of("resource_type", "pattern_type", "operation", "permission")) {
      String without = all.replaceAll(required + "=ANY&?", "").replaceAll("&$", "");
      for (String query :
          List.of(without, without + "&" + required + "=", without + "&" + required + "=UNKNOWN")) {
        Response refused = admin.delete(base + "/acls?principal=User:dave&" + query);
        TestHttp.assertError(refused, 400, 400);
        assertThat(refused.json().get("message").asText()).as(query).contains(required);
      }
    }
    // One stray filter, as a script deleting "the group binding" might send: refused, not every
    // binding.
    TestHttp.assertError(
        admin.delete(base + "/acls?principal=User:dave&resource_type=GROUP"), 400, 400);
    assertThat(broker.queryLong("select count(*) from acl where principal = 'User:dave'"))
        .isEqualTo(3);

    Response deny =
        admin.delete(base + "/acls?principal=User:dave&resource_type=ANY&pattern_type=ANY"
            + "&operation=ANY&permission=DENY");
    assertThat(deny.json().get("data")).as(deny.body()).hasSize(1);
    Response rest = admin.delete(base + "/acls?principal=User:dave&" + all);
    assertThat(rest.json().get("data")).as(rest.body()).hasSize(2);
    assertThat(broker.queryLong("select count(*) from acl where principal = 'User:dave'"))
        .isZero();
  }
}
