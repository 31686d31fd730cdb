package io.rowstream.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.config.OpsConfig;
import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A consumer instance belongs to the principal that created it, and Read on a topic is checked
 * on every read, commit and seek, and on what a pattern subscription matches.
 */
class ConsumerOwnershipTest {
  private static TestBroker broker;
  private static TestHttp admin;
  private static TestHttp alice;
  private static TestHttp bob;
  private static TestHttp carol;
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
    broker = TestBroker.start("ownership", c -> c.withOps(c.ops().withAuth(auth)));
    admin = broker.http().as("admin", "admin-pw");
    base = "/v3/clusters/" + admin.clusterId();
    for (String user : List.of("alice", "bob", "carol")) {
      admin.post(
          base + "/users",
          "application/json",
          TestHttp.json(Map.of("name", user, "password", user + "-pw")));
    }
    alice = broker.http().as("alice", "alice-pw");
    bob = broker.http().as("bob", "bob-pw");
    carol = broker.http().as("carol", "carol-pw");
    for (String topic :
        List.of("alice-only", "shared", "revocable", "p-open", "p-secret", "p-later")) {
      admin.createTopic(topic, 1);
    }
    for (String user : List.of("User:alice", "User:bob")) {
      acl("GROUP", "team", user, "READ", "ALLOW");
      acl("TOPIC", "shared", user, "READ", "ALLOW");
    }
    acl("TOPIC", "alice-only", "User:alice", "READ", "ALLOW");
    acl("TOPIC", "revocable", "User:alice", "READ", "ALLOW");
    acl("GROUP", "patterns", "User:carol", "READ", "ALLOW");
    acl("TOPIC", "*", "User:carol", "READ", "ALLOW");
    acl("TOPIC", "p-secret", "User:carol", "READ", "DENY");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Map<String, String> acl(
      String type, String name, String principal, String op, String permission) {
    Map<String, String> binding = Map.of(
        "resource_type",
        type,
        "resource_name",
        name,
        "pattern_type",
        "LITERAL",
        "principal",
        principal,
        "host",
        "*",
        "operation",
        op,
        "permission",
        permission);
    Response r = admin.post(base + "/acls", "application/json", TestHttp.json(binding));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return binding;
  }

  private static void produce(String topic, String value) {
    Response r = admin.post(
        "/topics/" + topic,
        TestHttp.BINARY,
        TestHttp.json(Map.of(
            "records",
            List.of(
                Map.of("value", java.util.Base64.getEncoder().encodeToString(value.getBytes()))))));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  private static String create(TestHttp who, String group, String name) {
    Response r = who.post(
        "/consumers/" + group,
        TestHttp.V2,
        "{\"name\":\"" + name + "\",\"format\":\"binary\",\"auto.offset.reset\":\"earliest\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return "/consumers/" + group + "/instances/" + name;
  }

  private static String partitions(String... topics) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (String t : topics) {
      list.add(Map.of("topic", t, "partition", 0));
    }
    return TestHttp.json(Map.of("partitions", list));
  }

  /** The topics of the records a read returned, in order. */
  private static List<String> readTopics(TestHttp who, String instance) {
    Response r = who.get(instance + "/records?timeout=0", "Accept", TestHttp.BINARY);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<String> topics = new ArrayList<>();
    for (JsonNode record : r.json()) {
      topics.add(record.path("topic").asText());
    }
    return topics;
  }

  @Test
  void another_principals_instance_is_not_found_by_any_call_and_keeps_its_state() {
    produce("alice-only", "a1");
    String instance = create(alice, "team", "alice-1");
    assertThat(alice
            .post(instance + "/assignments", TestHttp.V2, partitions("alice-only"))
            .status())
        .isEqualTo(204);
    String position = "{\"offsets\":[{\"topic\":\"shared\",\"partition\":0,\"offset\":0}]}";
    String lease =
        "select lease_expires_at::text from consumer_instance where instance_id = 'alice-1'";
    String leaseBefore = broker.queryText(lease);
    List<Response> refused = List.of(
        bob.get(instance + "/records?timeout=0", "Accept", TestHttp.BINARY),
        bob.get(instance + "/assignments"),
        bob.post(instance + "/assignments", TestHttp.V2, partitions("shared")),
        bob.post(instance + "/positions", TestHttp.V2, position),
        bob.post(instance + "/positions/beginning", TestHttp.V2, partitions("shared")),
        bob.post(instance + "/positions/end", TestHttp.V2, "{}"),
        bob.post(instance + "/offsets", TestHttp.V2, "{}"),
        bob.post(instance + "/offsets", TestHttp.V2, position),
        bob.method("GET", instance + "/offsets", TestHttp.V2, "{}"),
        bob.get(instance + "/subscription"),
        bob.post(instance + "/subscription", TestHttp.V2, "{\"topics\":[\"shared\"]}"),
        bob.method("DELETE", instance + "/subscription", TestHttp.V2, null),
        bob.delete(instance));
    for (Response r : refused) {
      TestHttp.assertError(r, 404, 40403);
    }
    TestHttp.assertError(bob.get("/consumers/team/instances/no-such/assignments"), 404, 40403);
    assertThat(broker.queryLong("select count(*) from committed_offset")).isZero();
    assertThat(broker.queryText(lease)).as("bob's calls renew nothing").isEqualTo(leaseBefore);
    assertThat(alice.get(instance + "/assignments").body())
        .contains("alice-only")
        .doesNotContain("shared");
    assertThat(readTopics(alice, instance)).containsExactly("alice-only");
    // A super user may act on any instance.
    assertThat(admin.get(instance + "/assignments").body()).contains("alice-only");
    assertThat(admin.delete(instance).status()).isEqualTo(204);
  }

  @Test
  void the_owner_is_stored_with_the_instance() {
    create(bob, "team", "bob-1");
    assertThat(broker.queryText(
            "select owner_principal from consumer_instance where instance_id = 'bob-1'"))
        .isEqualTo("User:bob");
    assertThat(bob.delete("/consumers/team/instances/bob-1").status()).isEqualTo(204);
  }

  @Test
  void revoking_read_on_a_topic_stops_its_records_commits_and_seeks_at_the_next_call() {
    produce("revocable", "r1");
    produce("shared", "s1");
    String instance = create(alice, "team", "alice-rev");
    assertThat(alice
            .post(instance + "/assignments", TestHttp.V2, partitions("revocable", "shared"))
            .status())
        .isEqualTo(204);
    assertThat(readTopics(alice, instance)).containsExactlyInAnyOrder("revocable", "shared");
    Response deleted = admin.method(
        "DELETE",
        base + "/acls?resource_type=TOPIC&resource_name=revocable"
            + "&pattern_type=LITERAL&principal=User:alice&operation=READ&permission=ALLOW",
        "application/json",
        null);
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
    produce("revocable", "r2");
    produce("shared", "s2");
    assertThat(readTopics(alice, instance)).containsExactly("shared");
    String position = "select position from consumer_assignment a join topic t using (topic_id) "
        + "where a.instance_id = 'alice-rev' and t.name = 'revocable'";
    long before = broker.queryLong(position);
    TestHttp.assertError(
        alice.post(
            instance + "/positions",
            TestHttp.V2,
            "{\"offsets\":[{\"topic\":\"revocable\",\"partition\":0,\"offset\":0}]}"),
        403,
        40301);
    TestHttp.assertError(
        alice.post(instance + "/positions/beginning", TestHttp.V2, partitions("revocable")),
        403,
        40301);
    TestHttp.assertError(
        alice.post(
            instance + "/offsets",
            TestHttp.V2,
            "{\"offsets\":[{\"topic\":\"revocable\",\"partition\":0,\"offset\":1}]}"),
        403,
        40301);
    assertThat(broker.queryLong(position)).isEqualTo(before);
    assertThat(broker.queryLong(
            "select count(*) from committed_offset c join topic t using (topic_id) "
                + "where t.name = 'revocable'"))
        .isZero();
    // Seeking every partition, or committing everything consumed, leaves the unreadable one alone.
    assertThat(alice.post(instance + "/positions/beginning", TestHttp.V2, "{}").status())
        .isEqualTo(204);
    assertThat(broker.queryLong(position)).isEqualTo(before);
    assertThat(readTopics(alice, instance)).containsExactly("shared", "shared");
    assertThat(alice.post(instance + "/offsets", TestHttp.V2, "{}").status()).isEqualTo(200);
    assertThat(broker.queryLong(
            "select count(*) from committed_offset c join topic t using (topic_id) "
                + "where t.name = 'revocable'"))
        .isZero();
    assertThat(alice.method("GET", instance + "/offsets", TestHttp.V2, "{}").body())
        .doesNotContain("revocable");
    // Closing with auto-commit commits only what it may read.
    assertThat(alice.delete(instance).status()).isEqualTo(204);
    assertThat(broker.queryLong(
            "select count(*) from committed_offset c join topic t using (topic_id) "
                + "where t.name = 'revocable'"))
        .isZero();
    assertThat(broker.queryLong(
            "select count(*) from committed_offset c join topic t using (topic_id) "
                + "where t.name = 'shared'"))
        .isEqualTo(1);
  }

  @Test
  void a_pattern_subscription_never_matches_a_topic_its_principal_may_not_read() {
    produce("p-open", "o1");
    produce("p-secret", "x1");
    String instance = create(carol, "patterns", "carol-1");
    assertThat(carol
            .post(instance + "/subscription", TestHttp.V2, "{\"topic_pattern\":\"p-.*\"}")
            .status())
        .isEqualTo(204);
    assertThat(carol.get(instance + "/assignments").body())
        .contains("p-open")
        .doesNotContain("p-secret");
    assertThat(carol.get(instance + "/subscription").body())
        .contains("p-open")
        .doesNotContain("p-secret");
    assertThat(readTopics(carol, instance)).containsExactly("p-open");
    assertThat(broker.queryLong(
            "select count(*) from consumer_assignment a join topic t using (topic_id) "
                + "where t.name = 'p-secret'"))
        .isZero();
    // READ revoked on a topic the pattern matched: the group reaper sees the ACLs change and
    // rebalances.
    assertThat(carol.get(instance + "/assignments").body()).contains("p-later");
    acl("TOPIC", "p-later", "User:carol", "READ", "DENY");
    Await.until(
        "p-later leaves carol's assignment",
        Duration.ofSeconds(15),
        () -> broker.queryLong(
                "select count(*) from consumer_assignment a join topic t using (topic_id) where t.name = 'p-later'")
            == 0);
    assertThat(carol.get(instance + "/assignments").body())
        .contains("p-open")
        .doesNotContain("p-later")
        .doesNotContain("p-secret");
  }
}
