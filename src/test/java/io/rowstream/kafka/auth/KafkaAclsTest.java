package io.rowstream.kafka.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateAclsResult;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateAclsResponse;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DescribeAcls, CreateAcls and DeleteAcls over the Kafka port with kafka-clients' Admin, on the
 * same ACLs as HTTP's {@code /v3/clusters/{cid}/acls}: what one door creates the other lists and
 * enforces; Kafka's filters (LITERAL, PREFIXED, MATCH, ANY, operations, permissions, hosts); a
 * binding Rowstream cannot keep refused alone; CLUSTER_AUTHORIZATION_FAILED without the cluster
 * right, SECURITY_DISABLED with authentication off.
 */
class KafkaAclsTest {
  private static TestBroker broker;
  private static TestHttp admin;
  private static String acls;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithKafkaSasl("kafka-acls");
    admin = broker.admin();
    acls = "/v3/clusters/" + admin.clusterId() + "/acls";
    admin.createTopic("orders", 1);
    admin.createTopic("payments", 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Admin as(String user, String password) {
    return KafkaClients.admin(
        broker.kafkaBootstrap(), KafkaClients.saslPlain("SASL_PLAINTEXT", user, password));
  }

  private static Admin superUser() {
    return as(TestBroker.ADMIN, TestBroker.ADMIN_PASSWORD);
  }

  private static AclBinding binding(
      ResourceType type,
      String name,
      PatternType pattern,
      String principal,
      AclOperation op,
      AclPermissionType permission) {
    return new AclBinding(
        new ResourcePattern(type, name, pattern),
        new AccessControlEntry(principal, "*", op, permission));
  }

  private static AclBinding allowTopic(
      String name, PatternType pattern, String principal, AclOperation op) {
    return binding(ResourceType.TOPIC, name, pattern, principal, op, AclPermissionType.ALLOW);
  }

  private static AclBindingFilter filter(
      ResourceType type, String name, PatternType pattern, String principal) {
    return new AclBindingFilter(
        new ResourcePatternFilter(type, name, pattern),
        new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
  }

  @Test
  void acls_created_over_kafka_are_listed_over_http_and_enforced_on_both_doors() throws Exception {
    admin.createUser("alice", "alice-pw");
    try (Admin kafka = superUser()) {
      kafka
          .createAcls(List.of(
              allowTopic("orders", PatternType.LITERAL, "User:alice", AclOperation.READ),
              allowTopic("pay", PatternType.PREFIXED, "User:alice", AclOperation.DESCRIBE)))
          .all()
          .get();
    }
    JsonNode listed = admin.get(acls + "?principal=User:alice").json().get("data");
    List<String> overHttp = new ArrayList<>();
    listed.forEach(a -> overHttp.add(a.get("resource_name").asText() + "/"
        + a.get("pattern_type").asText() + "/" + a.get("operation").asText() + "/"
        + a.get("permission").asText() + "/" + a.get("host").asText()));
    assertThat(overHttp)
        .containsExactlyInAnyOrder("orders/LITERAL/READ/ALLOW/*", "pay/PREFIXED/DESCRIBE/ALLOW/*");
    try (Admin alice = as("alice", "alice-pw")) {
      assertThat(alice.listTopics().names().get()).containsExactlyInAnyOrder("orders", "payments");
    }
    TestHttp aliceOverHttp = broker.http().as("alice", "alice-pw");
    String topics = "/v3/clusters/" + admin.clusterId() + "/topics/";
    assertThat(aliceOverHttp.get(topics + "orders").status()).isEqualTo(200);
    assertThat(aliceOverHttp.get(topics + "payments").status()).isEqualTo(200);
  }

  @Test
  void acls_created_over_http_are_described_and_enforced_over_kafka() throws Exception {
    admin.createUser("bob", "bob-pw");
    admin.allow("User:bob", "DESCRIBE", "TOPIC", "payments");
    try (Admin kafka = superUser()) {
      Collection<AclBinding> found = kafka
          .describeAcls(filter(ResourceType.ANY, null, PatternType.ANY, "User:bob"))
          .values()
          .get();
      assertThat(found)
          .containsExactly(
              allowTopic("payments", PatternType.LITERAL, "User:bob", AclOperation.DESCRIBE));
    }
    try (Admin bob = as("bob", "bob-pw")) {
      assertThat(bob.listTopics().names().get()).containsExactly("payments");
    }
  }

  @Test
  void describe_filters_match_as_kafkas_do() throws Exception {
    String p = "User:filters";
    AclBinding literal = allowTopic("orders", PatternType.LITERAL, p, AclOperation.READ);
    AclBinding wildcard = allowTopic("*", PatternType.LITERAL, p, AclOperation.DESCRIBE);
    AclBinding ord = allowTopic("ord", PatternType.PREFIXED, p, AclOperation.WRITE);
    AclBinding pay = allowTopic("pay", PatternType.PREFIXED, p, AclOperation.WRITE);
    AclBinding group = binding(
        ResourceType.GROUP,
        "orders",
        PatternType.LITERAL,
        p,
        AclOperation.READ,
        AclPermissionType.DENY);
    AclBinding fromHost = new AclBinding(
        new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
        new AccessControlEntry(p, "10.0.0.1", AclOperation.DESCRIBE, AclPermissionType.ALLOW));
    try (Admin kafka = superUser()) {
      kafka
          .createAcls(List.of(literal, wildcard, ord, pay, group, fromHost))
          .all()
          .get();
      assertThat(describe(kafka, filter(ResourceType.TOPIC, "orders", PatternType.MATCH, p)))
          .containsExactlyInAnyOrder(literal, wildcard, ord);
      assertThat(describe(kafka, filter(ResourceType.ANY, "orders", PatternType.ANY, p)))
          .containsExactlyInAnyOrder(literal, group);
      assertThat(describe(kafka, filter(ResourceType.TOPIC, "orders", PatternType.LITERAL, p)))
          .containsExactly(literal);
      assertThat(describe(kafka, filter(ResourceType.TOPIC, "ord", PatternType.LITERAL, p)))
          .isEmpty();
      assertThat(describe(kafka, filter(ResourceType.TOPIC, null, PatternType.PREFIXED, p)))
          .containsExactlyInAnyOrder(ord, pay);
      assertThat(describe(kafka, filter(ResourceType.ANY, null, PatternType.ANY, p)))
          .containsExactlyInAnyOrder(literal, wildcard, ord, pay, group, fromHost);
      assertThat(describe(kafka, entries(p, null, AclOperation.WRITE, AclPermissionType.ALLOW)))
          .containsExactlyInAnyOrder(ord, pay);
      assertThat(describe(kafka, entries(p, "10.0.0.1", AclOperation.ANY, AclPermissionType.ANY)))
          .containsExactly(fromHost);
      assertThat(describe(kafka, entries(p, null, AclOperation.ANY, AclPermissionType.DENY)))
          .containsExactly(group);
      assertThat(describe(kafka, filter(ResourceType.TRANSACTIONAL_ID, null, PatternType.ANY, p)))
          .isEmpty();
    }
  }

  /** Bindings of any resource, filtered by their entry. */
  private static AclBindingFilter entries(
      String principal, String host, AclOperation op, AclPermissionType permission) {
    return new AclBindingFilter(
        ResourcePatternFilter.ANY, new AccessControlEntryFilter(principal, host, op, permission));
  }

  private static Collection<AclBinding> describe(Admin kafka, AclBindingFilter filter)
      throws Exception {
    return kafka.describeAcls(filter).values().get();
  }

  @Test
  void delete_removes_what_each_filter_matches_and_returns_it() throws Exception {
    String p = "User:deletes";
    AclBinding literal = allowTopic("orders", PatternType.LITERAL, p, AclOperation.READ);
    AclBinding ord = allowTopic("ord", PatternType.PREFIXED, p, AclOperation.WRITE);
    AclBinding pay = allowTopic("pay", PatternType.PREFIXED, p, AclOperation.WRITE);
    try (Admin kafka = superUser()) {
      kafka.createAcls(List.of(literal, ord, pay)).all().get();
      Collection<AclBinding> deleted = kafka
          .deleteAcls(List.of(filter(ResourceType.TOPIC, "orders", PatternType.MATCH, p)))
          .all()
          .get();
      assertThat(deleted).containsExactlyInAnyOrder(literal, ord);
      assertThat(describe(kafka, filter(ResourceType.ANY, null, PatternType.ANY, p)))
          .containsExactly(pay);
      JsonNode overHttp = admin.get(acls + "?principal=" + p).json().get("data");
      assertThat(overHttp).hasSize(1);
      assertThat(overHttp.get(0).get("resource_name").asText()).isEqualTo("pay");
      // A filter that matches nothing deletes nothing.
      assertThat(kafka
              .deleteAcls(List.of(filter(ResourceType.GROUP, null, PatternType.ANY, p)))
              .all()
              .get())
          .isEmpty();
    }
  }

  @Test
  void a_binding_rowstream_cannot_keep_is_invalid_request_and_the_others_are_created()
      throws Exception {
    String p = "User:mixed";
    AclBinding good = allowTopic("orders", PatternType.LITERAL, p, AclOperation.WRITE);
    AclBinding transactional = binding(
        ResourceType.TRANSACTIONAL_ID,
        "tx",
        PatternType.LITERAL,
        p,
        AclOperation.WRITE,
        AclPermissionType.ALLOW);
    AclBinding notAUser =
        allowTopic("orders", PatternType.LITERAL, "Group:ops", AclOperation.WRITE);
    try (Admin kafka = superUser()) {
      CreateAclsResult result = kafka.createAcls(List.of(good, transactional, notAUser));
      result.values().get(good).get();
      for (AclBinding refused : List.of(transactional, notAUser)) {
        assertThatThrownBy(() -> result.values().get(refused).get())
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(InvalidRequestException.class);
      }
      assertThat(describe(kafka, filter(ResourceType.ANY, null, PatternType.ANY, null)))
          .contains(good)
          .doesNotContain(transactional, notAUser);
    }
  }

  @Test
  void a_binding_with_operation_any_is_invalid_request_as_kafka_answers_it() throws Exception {
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      KafkaSaslTest.handshake(wire, 1);
      KafkaSaslTest.authenticate(wire, TestBroker.ADMIN, TestBroker.ADMIN_PASSWORD);
      CreateAclsRequestData.AclCreation any = new CreateAclsRequestData.AclCreation()
          .setResourceType(ResourceType.TOPIC.code())
          .setResourceName("orders")
          .setResourcePatternType(PatternType.LITERAL.code())
          .setPrincipal("User:wire")
          .setHost("*")
          .setOperation(AclOperation.ANY.code())
          .setPermissionType(AclPermissionType.ALLOW.code());
      CreateAclsResponse r = (CreateAclsResponse) wire.call(
          ApiKeys.CREATE_ACLS, (short) 3, new CreateAclsRequestData().setCreations(List.of(any)));
      assertThat(r.results()).hasSize(1);
      assertThat(r.results().get(0).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
      assertThat(r.results().get(0).errorMessage()).contains("ANY");
    }
    assertThat(admin.get(acls + "?principal=User:wire").json().get("data")).isEmpty();
  }

  @Test
  void the_acl_apis_need_describe_or_alter_on_the_cluster() throws Exception {
    admin.createUser("carol", "carol-pw");
    AclBinding some = allowTopic("orders", PatternType.LITERAL, "User:carol", AclOperation.READ);
    try (Admin carol = as("carol", "carol-pw")) {
      assertThatThrownBy(() -> carol.describeAcls(AclBindingFilter.ANY).values().get())
          .hasCauseInstanceOf(ClusterAuthorizationException.class);
      assertThatThrownBy(() -> carol.createAcls(List.of(some)).all().get())
          .hasCauseInstanceOf(ClusterAuthorizationException.class);
      assertThatThrownBy(
              () -> carol.deleteAcls(List.of(AclBindingFilter.ANY)).all().get())
          .hasCauseInstanceOf(ClusterAuthorizationException.class);
      admin.allow("User:carol", "ALTER", "CLUSTER", "kafka-cluster");
      carol.createAcls(List.of(some)).all().get();
      // ALTER implies DESCRIBE.
      assertThat(carol
              .describeAcls(filter(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:carol"))
              .values()
              .get())
          .containsExactly(some);
    }
  }

  @Test
  void with_authentication_off_the_acl_apis_answer_security_disabled() throws Exception {
    try (TestBroker open = TestBroker.start("kafka-acls-open");
        Admin kafka = KafkaClients.admin(open.kafkaBootstrap())) {
      assertThatThrownBy(() -> kafka.describeAcls(AclBindingFilter.ANY).values().get())
          .hasCauseInstanceOf(SecurityDisabledException.class);
      assertThatThrownBy(() -> kafka
              .createAcls(
                  List.of(allowTopic("orders", PatternType.LITERAL, "User:x", AclOperation.READ)))
              .all()
              .get())
          .hasCauseInstanceOf(SecurityDisabledException.class);
      assertThatThrownBy(
              () -> kafka.deleteAcls(List.of(AclBindingFilter.ANY)).all().get())
          .hasCauseInstanceOf(SecurityDisabledException.class);
    }
  }
}
