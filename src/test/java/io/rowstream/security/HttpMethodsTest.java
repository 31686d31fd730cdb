package io.rowstream.security;

import static io.rowstream.support.TestHttp.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HEAD is authorized as the GET it mirrors, and no header turns a POST into another method. */
class HttpMethodsTest {
  private static TestBroker broker;
  private static TestHttp anonymous;
  private static TestHttp admin;
  private static TestHttp bob;
  private static String topics;

  @BeforeAll
  static void start() {
    OpsConfig.Auth auth = new OpsConfig.Auth(
        true,
        Set.of("User:admin"),
        Optional.of("admin"),
        Optional.of("admin-pw"),
        false,
        Duration.ofSeconds(5));
    broker = TestBroker.start("methods", c -> c.withOps(c.ops().withAuth(auth)));
    anonymous = broker.http();
    admin = anonymous.as("admin", "admin-pw");
    topics = "/v3/clusters/" + admin.clusterId() + "/topics";
    admin.createTopic("secret", 1);
    assertThat(admin
            .post(
                "/v3/clusters/" + admin.clusterId() + "/users",
                "application/json",
                TestHttp.json(Map.of("name", "bob", "password", "bob-pw")))
            .status())
        .isIn(200, 201);
    bob = anonymous.as("bob", "bob-pw");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void head_needs_what_the_get_of_the_same_route_needs() {
    for (String path : new String[] {
      "/topics/secret",
      "/topics/secret/partitions",
      topics + "/secret",
      topics + "/secret/configs",
      "/metrics",
      "/v3/clusters/" + admin.clusterId() + "/acls"
    }) {
      assertThat(bob.get(path).status()).as("GET " + path).isEqualTo(403);
      assertThat(bob.method("HEAD", path, null, null).status())
          .as("HEAD " + path)
          .isEqualTo(403);
      assertThat(anonymous.method("HEAD", path, null, null).status())
          .as("HEAD " + path)
          .isEqualTo(401);
      assertThat(admin.method("HEAD", path, null, null).status())
          .as("HEAD " + path)
          .isEqualTo(200);
    }
  }

  @Test
  void x_http_method_override_is_refused_and_changes_nothing() {
    var overridden = admin.post(
        topics + "/secret", "application/json", "{}", "X-HTTP-Method-Override", "DELETE");
    assertError(overridden, 400, 40002);
    assertThat(admin.get(topics + "/secret").status()).isEqualTo(200);
    assertError(
        admin.post(
            topics,
            "application/json",
            "{\"topic_name\":\"t2\",\"partitions_count\":1}",
            "X-HTTP-Method-Override",
            "POST"),
        400,
        40002);
    assertThat(broker.queryLong("select count(*) from topic where name = 't2'")).isZero();
  }
}
