package io.rowstream.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The openapi document's ACL operations, walked over real HTTP with authentication on: getKafkaAcls
 * (search), createKafkaAcls (one), batchCreateKafkaAcls ({@code acls:batch}, all or nothing) and
 * deleteKafkaAcls, each with its happy path and documented errors (bad request, not authorized).
 */
class AclsV3ConformanceTest {
  private static final String COUNT = "select count(*) from acl";

  private static TestBroker broker;
  private static TestHttp admin;
  private static TestHttp alice;
  private static String acls;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithAuth("acls_v3_conformance");
    admin = broker.admin();
    acls = "/v3/clusters/" + admin.clusterId() + "/acls";
    alice = admin.createUser("alice", "alice-pw");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Map<String, String> binding(
      String type, String name, String principal, String op, String permission) {
    return Map.of(
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
  }

  private static Response batch(TestHttp as, Object data) {
    return as.post(acls + ":batch", "application/json", TestHttp.json(Map.of("data", data)));
  }

  @Test
  void batch_creates_every_binding_and_answers_201() {
    Response r = batch(
        admin,
        List.of(
            binding("TOPIC", "batch-a", "User:bob", "READ", "ALLOW"),
            binding("GROUP", "batch-g", "User:bob", "READ", "ALLOW"),
            binding("CLUSTER", "kafka-cluster", "User:bob", "DESCRIBE", "DENY")));

    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonNode found = admin.get(acls + "?principal=User:bob").expectStatus(200).json();
    assertThat(found.get("kind").asText()).isEqualTo("KafkaAclDataList");
    assertThat(found
            .get("data")
            .valueStream()
            .map(a ->
                a.get("resource_type").asText() + ":" + a.get("resource_name").asText() + ":"
                    + a.get("operation").asText() + ":" + a.get("permission").asText()))
        .containsExactlyInAnyOrder(
            "TOPIC:batch-a:READ:ALLOW",
            "GROUP:batch-g:READ:ALLOW",
            "CLUSTER:kafka-cluster:DESCRIBE:DENY");
    admin
        .delete(acls
            + "?principal=User:bob&resource_type=ANY&pattern_type=ANY&operation=ANY&permission=ANY")
        .expectStatus(200);
  }

  @Test
  void batch_naming_one_binding_twice_or_an_existing_one_creates_it_once() {
    Map<String, String> once = binding("TOPIC", "batch-twice", "User:carol", "WRITE", "ALLOW");
    batch(admin, List.of(once)).expectStatus(201);
    long before = broker.queryLong(COUNT);

    Response r = batch(
        admin,
        List.of(
            once,
            once,
            binding("TOPIC", "batch-twice", "User:carol", "READ", "ALLOW"),
            binding("TOPIC", "batch-twice", "User:carol", "READ", "ALLOW")));

    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(broker.queryLong(COUNT)).isEqualTo(before + 1);
  }

  @Test
  void batch_with_one_invalid_binding_is_400_and_creates_none() {
    long before = broker.queryLong(COUNT);
    Map<String, String> good = binding("TOPIC", "batch-none", "User:dave", "READ", "ALLOW");

    TestHttp.assertError(
        batch(admin, List.of(good, binding("TOPIC", "x", "User:dave", "FLY", "ALLOW"))),
        400,
        40002);
    TestHttp.assertError(
        batch(
            admin, List.of(good, binding("CLUSTER", "my-cluster", "User:dave", "ALTER", "ALLOW"))),
        400,
        40002);
    TestHttp.assertError(
        batch(admin, List.of(good, binding("TOPIC", "x", "dave", "READ", "ALLOW"))), 400, 40002);
    TestHttp.assertError(batch(admin, List.of(good, "not an object")), 400, 40002);
    TestHttp.assertError(admin.post(acls + ":batch", "application/json", "{}"), 400, 40002);
    TestHttp.assertError(
        admin.post(acls + ":batch", "application/json", "{\"data\":{}}"), 400, 40002);
    assertThat(broker.queryLong(COUNT)).isEqualTo(before);
  }

  @Test
  void batch_needs_alter_on_the_cluster() {
    long before = broker.queryLong(COUNT);

    TestHttp.assertError(
        batch(alice, List.of(binding("TOPIC", "mine", "User:alice", "ALL", "ALLOW"))), 403, 40301);
    assertThat(broker.queryLong(COUNT)).isEqualTo(before);
  }

  @Test
  void create_search_and_delete_one_binding() {
    Map<String, String> one = binding("TOPIC", "single", "User:erin", "DESCRIBE", "ALLOW");

    Response created = admin.post(acls, "application/json", TestHttp.json(one));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode found = admin
        .get(acls + "?resource_type=TOPIC&resource_name=single")
        .expectStatus(200)
        .json();
    assertThat(found.get("data")).hasSize(1);
    JsonNode acl = found.get("data").get(0);
    assertThat(acl.get("kind").asText()).isEqualTo("KafkaAcl");
    assertThat(acl.get("metadata").get("self").asText()).startsWith(admin.baseUrl() + acls + "?");
    assertThat(acl.get("principal").asText()).isEqualTo("User:erin");

    Response deleted =
        admin.delete(acls + "?resource_type=TOPIC&resource_name=single&pattern_type=LITERAL"
            + "&operation=DESCRIBE&permission=ALLOW");
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
    assertThat(deleted.json().get("data")).hasSize(1);
    assertThat(admin.get(acls + "?resource_name=single").json().get("data")).isEmpty();
  }

  @Test
  void the_match_pattern_type_finds_and_deletes_every_binding_that_applies_to_a_name() {
    Map<String, String> prefixed =
        new java.util.HashMap<>(binding("TOPIC", "match-", "User:mia", "READ", "ALLOW"));
    prefixed.put("pattern_type", "PREFIXED");
    Response r = batch(
        admin,
        List.of(
            binding("TOPIC", "match-orders", "User:mia", "READ", "ALLOW"),
            binding("TOPIC", "*", "User:mia", "DESCRIBE", "ALLOW"),
            prefixed,
            binding("TOPIC", "match-other", "User:mia", "READ", "ALLOW")));
    assertThat(r.status()).as(r.body()).isEqualTo(201);

    JsonNode found = admin
        .get(acls + "?resource_type=TOPIC&resource_name=match-orders&pattern_type=MATCH")
        .expectStatus(200)
        .json();
    assertThat(found
            .get("data")
            .valueStream()
            .map(a ->
                a.get("pattern_type").asText() + ":" + a.get("resource_name").asText()))
        .containsExactlyInAnyOrder("LITERAL:match-orders", "LITERAL:*", "PREFIXED:match-");

    Response deleted = admin.delete(acls
        + "?resource_type=TOPIC&resource_name=match-orders&pattern_type=MATCH"
        + "&operation=READ&permission=ALLOW");
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
    assertThat(deleted.json().get("data")).hasSize(2);
    assertThat(admin
            .get(acls + "?principal=User:mia")
            .json()
            .get("data")
            .valueStream()
            .map(a -> a.get("resource_name").asText()))
        .containsExactlyInAnyOrder("*", "match-other");
  }

  @Test
  void create_and_search_refuse_bad_values_with_400() {
    long before = broker.queryLong(COUNT);

    TestHttp.assertError(
        admin.post(
            acls,
            "application/json",
            TestHttp.json(binding("TOPIC", "t", "User:x", "FLY", "ALLOW"))),
        400,
        40002);
    TestHttp.assertError(admin.get(acls + "?resource_type=PLANET"), 400, 40002);
    assertThat(broker.queryLong(COUNT)).isEqualTo(before);
  }

  @Test
  void looking_needs_describe_and_changing_needs_alter_on_the_cluster() {
    long before = broker.queryLong(COUNT);

    TestHttp.assertError(alice.get(acls), 403, 40301);
    TestHttp.assertError(
        alice.post(
            acls,
            "application/json",
            TestHttp.json(binding("TOPIC", "t", "User:alice", "ALL", "ALLOW"))),
        403,
        40301);
    TestHttp.assertError(
        alice.delete(
            acls + "?resource_type=TOPIC&pattern_type=LITERAL&operation=ALL" + "&permission=ALLOW"),
        403,
        40301);
    assertThat(broker.queryLong(COUNT)).isEqualTo(before);
  }
}
