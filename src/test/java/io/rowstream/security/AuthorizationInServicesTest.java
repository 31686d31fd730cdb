package io.rowstream.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.config.OpsConfig;
import io.rowstream.db.Transactions;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.log.TopicPartition;
import io.rowstream.services.BrokerServices;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.topic.TopicAdmin;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resources that only a request body names are authorized by the service that reads them, with
 * the one authorizer, so that every door (HTTP, Kafka's protocol) gets the same rule; over HTTP
 * the answers stay what the edge gave before (403 / 40301, before anything else is looked at).
 */
class AuthorizationInServicesTest {
  private static TestBroker broker;
  private static TestHttp admin;
  private static TestHttp carol;
  private static String base;
  private static BrokerServices services;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithAuth("authz-services");
    admin = broker.admin();
    base = "/v3/clusters/" + admin.clusterId();
    carol = admin.createUser("carol", "carol-pw");
    admin.createTopic("readable", 1);
    admin.createTopic("closed", 1);
    admin.allow("User:carol", "READ", "GROUP", "team");
    admin.allow("User:carol", "READ", "TOPIC", "readable");
    services = broker.node(0).services();
  }

  /**
   * {@code principal} as a second door would see it: the node's authorizer, built over the same acl
   * rows as they are now (a node's own snapshot follows them within its cache TTL).
   */
  private static Caller caller(String principal) {
    OpsConfig.Auth auth = broker.config(0).ops().auth();
    Permissions permissions = Security.start(
            new Transactions(broker.node(0).database()),
            new OpsConfig.Auth(
                true,
                auth.superUsers(),
                Optional.empty(),
                Optional.empty(),
                false,
                auth.cacheTtl(),
                auth.failures()),
            "unused")
        .permissions();
    return new Caller(Principal.of(principal), "127.0.0.1", permissions);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static BrokerError refusal(Runnable call) {
    try {
      call.run();
    } catch (BrokerException e) {
      return e.error();
    }
    throw new AssertionError("the call was not refused");
  }

  @Test
  void a_pattern_subscription_needs_read_on_every_topic_in_the_consumer_service() {
    Caller carolCaller = caller("User:carol");
    assertThat(carol
            .post("/consumers/team", TestHttp.V2, "{\"name\":\"by-pattern\",\"format\":\"binary\"}")
            .status())
        .isEqualTo(200);
    assertThat(refusal(() ->
            services.consumers().subscribe(carolCaller, "team", "by-pattern", null, "read.*")))
        .isEqualTo(BrokerError.TOPIC_AUTHORIZATION_FAILED);
    assertThat(services.consumers().subscription(carolCaller, "team", "by-pattern"))
        .isNull();
  }

  @Test
  void read_on_the_topics_is_checked_before_the_instance_is_looked_up() {
    Caller carolCaller = caller("User:carol");
    assertThat(refusal(() -> services
            .consumers()
            .assign(
                carolCaller, "team", "no-such-instance", List.of(new TopicPartition("closed", 0)))))
        .isEqualTo(BrokerError.TOPIC_AUTHORIZATION_FAILED);
    assertThat(refusal(() -> services
            .consumers()
            .subscribe(carolCaller, "team", "no-such-instance", List.of("closed"), null)))
        .isEqualTo(BrokerError.TOPIC_AUTHORIZATION_FAILED);
    TestHttp.assertError(
        carol.post(
            "/consumers/team/instances/no-such-instance/assignments",
            TestHttp.V2,
            "{\"partitions\":[{\"topic\":\"closed\",\"partition\":0}]}"),
        403,
        40301);
    TestHttp.assertError(
        carol.post(
            "/consumers/team/instances/no-such-instance/subscription",
            TestHttp.V2,
            "{\"topic_pattern\":\"read.*\"}"),
        403,
        40301);
  }

  @Test
  void creating_a_topic_needs_create_on_the_cluster_or_the_topic_in_the_topic_admin() {
    Caller carolCaller = caller("User:carol");
    assertThatThrownBy(() -> services
            .topicAdmin()
            .create(carolCaller, new TopicAdmin.NewTopic("carols", 1, null, List.of()), false))
        .isInstanceOfSatisfying(BrokerException.class, e -> {
          assertThat(e.error()).isEqualTo(BrokerError.TOPIC_AUTHORIZATION_FAILED);
          assertThat(e.getMessage())
              .isEqualTo("Not authorized: User:carol may not CREATE TOPIC carols.");
        });
    TestHttp.assertError(
        carol.post(
            base + "/topics",
            "application/json",
            TestHttp.json(Map.of("topic_name", "carols", "partitions_count", 1))),
        403,
        40301);
    assertThat(broker.queryLong("select count(*) from topic where name = 'carols'"))
        .isZero();
  }

  @Test
  void altering_configs_of_several_topics_needs_alter_configs_on_each_in_the_topic_admin() {
    admin.allow("User:carol", "ALTER_CONFIGS", "TOPIC", "readable");
    Caller carolCaller = caller("User:carol");
    var change = List.of(
        new TopicAdmin.ConfigChange("retention.ms", TopicAdmin.ConfigOperation.SET, "1000"));
    assertThat(refusal(() -> services
            .topicAdmin()
            .alterConfigs(carolCaller, Map.of("readable", change, "closed", change), false)))
        .isEqualTo(BrokerError.TOPIC_AUTHORIZATION_FAILED);
    TestHttp.assertError(
        carol.post(
            base + "/topics/-/configs:alter",
            "application/json",
            "{\"data\":[{\"topic_name\":\"readable\",\"configs\":[{\"name\":\"retention.ms\",\"value\":\"1000\"}]},"
                + "{\"topic_name\":\"closed\",\"configs\":[{\"name\":\"retention.ms\",\"value\":\"1000\"}]}]}"),
        403,
        40301);
    assertThat(broker.queryLong(
            "select count(*) from topic where configs ->> 'retention.ms' is not null"))
        .isZero();
  }

  @Test
  void a_door_asks_the_one_authorizer_with_kafkas_semantics() {
    admin.allow("User:carol", "ALTER_CONFIGS", "TOPIC", "tuned");
    admin
        .post(
            base + "/acls",
            "application/json",
            TestHttp.json(Map.of(
                "resource_type",
                "TOPIC",
                "resource_name",
                "read",
                "pattern_type",
                "PREFIXED",
                "principal",
                "User:carol",
                "host",
                "*",
                "operation",
                "DESCRIBE",
                "permission",
                "DENY")))
        .expectStatus(201);
    Caller carolCaller = caller("User:carol");
    assertThat(carolCaller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, "readable"))
        .isFalse();
    assertThat(carolCaller.may(Acl.Operation.READ, Acl.ResourceType.TOPIC, "readable"))
        .isTrue();
    assertThat(carolCaller.may(Acl.Operation.WRITE, Acl.ResourceType.TOPIC, "readable"))
        .isFalse();
    assertThat(carolCaller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.GROUP, "team"))
        .isTrue();
    assertThat(carolCaller.may(Acl.Operation.DESCRIBE_CONFIGS, Acl.ResourceType.TOPIC, "tuned"))
        .isTrue();
    assertThat(carolCaller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, "tuned"))
        .isFalse();
    assertThat(refusal(() ->
            carolCaller.require(Acl.Operation.ALTER, Acl.ResourceType.CLUSTER, Acl.CLUSTER_NAME)))
        .isEqualTo(BrokerError.CLUSTER_AUTHORIZATION_FAILED);
    assertThat(
            refusal(() -> carolCaller.require(Acl.Operation.READ, Acl.ResourceType.GROUP, "other")))
        .isEqualTo(BrokerError.GROUP_AUTHORIZATION_FAILED);
    Caller superUser = caller("User:" + TestBroker.ADMIN);
    assertThat(superUser.may(Acl.Operation.ALTER, Acl.ResourceType.CLUSTER, Acl.CLUSTER_NAME))
        .isTrue();
    Caller node = new Caller(Principal.NODE, "127.0.0.1", superUser.permissions());
    assertThat(node.may(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, "readable"))
        .isFalse();
  }
}
