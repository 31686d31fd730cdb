package io.rowstream.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthenticationTest {
  private static TestBroker broker;
  private static TestHttp anonymous;
  private static TestHttp admin;

  @BeforeAll
  static void start() {
    OpsConfig.Auth auth = new OpsConfig.Auth(
        true,
        Set.of("User:admin"),
        Optional.of("admin"),
        Optional.of("s3cret-admin"),
        false,
        Duration.ofSeconds(5));
    broker = TestBroker.start("authn", c -> c.withOps(c.ops().withAuth(auth)));
    anonymous = broker.http();
    admin = anonymous.as("admin", "s3cret-admin");
    admin.createTopic("orders", 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void
      every_route_but_the_status_probes_and_the_consoles_files_refuses_a_call_without_credentials() {
    String cid = admin.clusterId();
    var routes = broker.node(0).routes();
    assertThat(routes).hasSizeGreaterThan(50);
    for (String route : routes) {
      String method = route.substring(0, route.indexOf(' '));
      String path = route
          .substring(route.indexOf(' ') + 1)
          .replace("{cid}", cid)
          .replace("{t}", "orders")
          .replace("{p}", "0")
          .replace("{g}", "g1")
          .replace("{i}", "i1")
          .replace("{c}", "c1")
          .replace("{id}", "1")
          .replace("{name}", "n1")
          .replace("{base}", "0")
          .replace("{file}", "app.js");
      assertThat(path).as(route).doesNotContain("{");
      Response r =
          anonymous.method(method, path, "application/json", method.equals("GET") ? null : "{}");
      if (path.startsWith("/status/")) {
        assertThat(r.status()).as(route).isEqualTo(200);
      } else if (path.equals("/ui") || path.startsWith("/ui/")) {
        // The console's own files hold no data: they load, and every call they make signs in.
        assertThat(r.status()).as(route).isEqualTo(200);
      } else {
        TestHttp.assertError(r, 401, 40101);
        assertThat(r.headers().firstValue("WWW-Authenticate"))
            .as(route)
            .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
      }
    }
    TestHttp.assertError(anonymous.get("/no/such/path"), 401, 40101);
  }

  @Test
  void basic_credentials_must_match_a_stored_bcrypt_hash() {
    TestHttp.assertError(anonymous.as("admin", "wrong").get("/topics"), 401, 40101);
    TestHttp.assertError(anonymous.as("nobody", "s3cret-admin").get("/topics"), 401, 40101);
    TestHttp.assertError(
        anonymous.withAuthorization("Basic !!notbase64").get("/topics"), 401, 40101);
    TestHttp.assertError(anonymous.withAuthorization("Digest abc").get("/topics"), 401, 40101);
    assertThat(admin.get("/topics").status()).isEqualTo(200);
    assertThat(broker.queryText("select password_hash from auth_user where name = 'admin'"))
        .startsWith("$2a$")
        .doesNotContain("s3cret");
  }

  @Test
  void users_are_created_and_deleted_by_an_admin_and_deletion_applies_at_once() {
    String base = "/v3/clusters/" + admin.clusterId();
    Response created = admin.post(
        base + "/users",
        "application/json",
        TestHttp.json(Map.of("name", "carol", "password", "pa55word")));
    assertThat(created.status()).isEqualTo(201);
    TestHttp carol = anonymous.as("carol", "pa55word");
    assertThat(carol.get("/brokers").status()).isEqualTo(200);
    assertThat(admin.get(base + "/users").body())
        .contains("carol")
        .doesNotContain("pa55word")
        .doesNotContain("$2a$");
    assertThat(admin.delete(base + "/users/carol").status()).isEqualTo(204);
    TestHttp.assertError(carol.get("/brokers"), 401, 40101);
  }

  @Test
  void api_keys_are_bearer_tokens_stored_as_digests_and_refused_after_expiry_or_deletion() {
    String base = "/v3/clusters/" + admin.clusterId();
    Response created = admin.post(
        base + "/api-keys",
        "application/json",
        TestHttp.json(Map.of("principal", "svc-billing", "description", "billing job")));
    assertThat(created.status()).isEqualTo(201);
    String token = created.json().get("token").asText();
    String keyId = created.json().get("key_id").asText();
    TestHttp svc = anonymous.withAuthorization("Bearer " + token);
    assertThat(svc.get("/brokers").status()).isEqualTo(200);
    assertThat(broker.queryLong(
            "select count(*) from auth_api_key where encode(secret_sha256, 'escape') like '%"
                + token.substring(10) + "%'"))
        .isZero();
    assertThat(admin.get(base + "/api-keys").body()).contains(keyId).doesNotContain(token);

    Response expired = admin.post(
        base + "/api-keys",
        "application/json",
        TestHttp.json(Map.of(
            "principal",
            "svc-old",
            "expires_at",
            OffsetDateTime.now().minusMinutes(1).toString())));
    TestHttp.assertError(
        anonymous
            .withAuthorization("Bearer " + expired.json().get("token").asText())
            .get("/brokers"),
        401,
        40101);
    TestHttp.assertError(
        anonymous.withAuthorization("Bearer rsk_0000_forged").get("/brokers"), 401, 40101);

    assertThat(admin.delete(base + "/api-keys/" + keyId).status()).isEqualTo(204);
    TestHttp.assertError(svc.get("/brokers"), 401, 40101);
  }

  @Test
  void an_api_key_also_signs_in_with_http_basic_as_key_id_and_secret_as_sasl_plain_takes_it() {
    String base = "/v3/clusters/" + admin.clusterId();
    Response created = admin.post(
        base + "/api-keys", "application/json", TestHttp.json(Map.of("principal", "svc-basic")));
    assertThat(created.status()).isEqualTo(201);
    String token = created.json().get("token").asText();
    String keyId = created.json().get("key_id").asText();
    String secret = token.substring(("rsk_" + keyId + "_").length());

    assertThat(anonymous.withAuthorization(basic(keyId, secret)).get("/brokers").status())
        .isEqualTo(200);
    assertThat(anonymous.withAuthorization(basic(keyId, token)).get("/brokers").status())
        .as("the whole token as password")
        .isEqualTo(200);
    TestHttp.assertError(
        anonymous.withAuthorization(basic(keyId, secret + "x")).get("/brokers"), 401, 40101);

    assertThat(admin.delete(base + "/api-keys/" + keyId).status()).isEqualTo(204);
    TestHttp.assertError(
        anonymous.withAuthorization(basic(keyId, secret)).get("/brokers"), 401, 40101);
  }

  private static String basic(String user, String password) {
    return "Basic "
        + java.util.Base64.getEncoder()
            .encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void managing_users_needs_alter_on_the_cluster() {
    String base = "/v3/clusters/" + admin.clusterId();
    admin.post(
        base + "/users",
        "application/json",
        TestHttp.json(Map.of("name", "dave", "password", "pw-dave")));
    TestHttp dave = anonymous.as("dave", "pw-dave");
    TestHttp.assertError(
        dave.post(
            base + "/users",
            "application/json",
            TestHttp.json(Map.of("name", "eve", "password", "pw-eve"))),
        403,
        40301);
    TestHttp.assertError(
        dave.post(
            base + "/api-keys", "application/json", TestHttp.json(Map.of("principal", "admin"))),
        403,
        40301);
    assertThat(broker.queryLong("select count(*) from auth_user where name = 'eve'"))
        .isZero();
    assertThat(broker.queryLong("select count(*) from auth_api_key where principal = 'admin'"))
        .isZero();
  }
}
