package io.rowstream.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The caps on consumer instances (per group, per principal) and on the groups a principal has
 * instances in are exact under concurrent creates, over HTTP.
 */
class ConsumerCapsTest {
  private static final int PER_GROUP = 20;
  private static final int PER_PRINCIPAL = 30;
  private static final int GROUPS_PER_PRINCIPAL = 4;
  private static final int PARALLEL = 64;
  private static TestBroker broker;
  private static TestHttp admin;

  @BeforeAll
  static void start() {
    OpsConfig.Auth auth = new OpsConfig.Auth(
        true,
        Set.of("User:admin"),
        Optional.of("admin"),
        Optional.of("admin-pw"),
        true,
        Duration.ofSeconds(5));
    broker = TestBroker.start(
        "consumer-caps",
        c -> c.withOps(c.ops()
            .withAuth(auth)
            .withLimits(c.ops()
                .limits()
                .withConsumerCaps(PER_GROUP, PER_PRINCIPAL, GROUPS_PER_PRINCIPAL))));
    admin = broker.http().as("admin", "admin-pw");
    String base = "/v3/clusters/" + admin.clusterId();
    for (String user : List.of("alice", "bob", "carol")) {
      admin.post(
          base + "/users",
          "application/json",
          TestHttp.json(Map.of("name", user, "password", user + "-pw")));
    }
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** Sends {@code count} creates at once (released together) and returns their answers. */
  private static List<Response> createAtOnce(int count, IntFunction<Response> create)
      throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Response>> sent = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        int n = i;
        sent.add(pool.submit(() -> {
          go.await();
          return create.apply(n);
        }));
      }
      go.countDown();
      List<Response> out = new ArrayList<>();
      for (Future<Response> f : sent) {
        out.add(f.get());
      }
      return out;
    }
  }

  /** The user's client, its credential verified once (so that the burst is not held back by authentication). */
  private static TestHttp signedIn(String user) {
    TestHttp http = broker.http().as(user, user + "-pw");
    assertThat(http.get("/topics").status()).isEqualTo(200);
    return http;
  }

  private static long created(List<Response> answers) {
    for (Response r : answers) {
      if (r.status() != 200) {
        TestHttp.assertError(r, 429, 42901);
        assertThat(r.body()).contains("(ROWSTREAM_MAX_");
      }
    }
    return answers.stream().filter(r -> r.status() == 200).count();
  }

  private static long rows(String where) {
    return broker.queryLong("select count(*) from consumer_instance where " + where);
  }

  @Test
  void parallel_creates_never_pass_the_per_group_cap() throws Exception {
    TestHttp bob = signedIn("bob");
    List<Response> answers = createAtOnce(
        PARALLEL, n -> bob.post("/consumers/crowd", TestHttp.V2, "{\"name\":\"c" + n + "\"}"));
    assertThat(created(answers)).isEqualTo(PER_GROUP);
    assertThat(rows("group_name = 'crowd'")).isEqualTo(PER_GROUP);
    assertThat(answers.stream()
            .filter(r -> r.status() == 429)
            .findFirst()
            .orElseThrow()
            .body())
        .contains("ROWSTREAM_MAX_CONSUMERS_PER_GROUP");
  }

  @Test
  void parallel_creates_never_pass_the_per_principal_cap_and_other_principals_are_not_affected()
      throws Exception {
    TestHttp alice = signedIn("alice");
    List<Response> answers = createAtOnce(
        PARALLEL,
        n -> alice.post("/consumers/alice-" + (n % 3), TestHttp.V2, "{\"name\":\"a" + n + "\"}"));
    assertThat(created(answers)).isEqualTo(PER_PRINCIPAL);
    assertThat(rows("owner_principal = 'User:alice'")).isEqualTo(PER_PRINCIPAL);
    assertThat(answers.stream()
            .filter(r -> r.status() == 429)
            .findFirst()
            .orElseThrow()
            .body())
        .contains("ROWSTREAM_MAX_CONSUMERS_PER_PRINCIPAL");
    assertThat(admin
            .post("/consumers/alice-0", TestHttp.V2, "{\"name\":\"admin-1\"}")
            .status())
        .isEqualTo(200);
    // Deleting one makes room for one.
    assertThat(alice
            .delete("/consumers/alice-0/instances/" + aliceInstanceIn("alice-0"))
            .status())
        .isEqualTo(204);
    assertThat(alice
            .post("/consumers/alice-1", TestHttp.V2, "{\"name\":\"again\"}")
            .status())
        .isEqualTo(200);
    TestHttp.assertError(
        alice.post("/consumers/alice-1", TestHttp.V2, "{\"name\":\"one-more\"}"), 429, 42901);
  }

  private static String aliceInstanceIn(String group) {
    return broker.queryText("select min(instance_id) from consumer_instance where group_name = '"
        + group + "' and owner_principal = 'User:alice'");
  }

  @Test
  void parallel_creates_in_many_groups_never_pass_the_groups_per_principal_cap() throws Exception {
    TestHttp carol = signedIn("carol");
    List<Response> answers = createAtOnce(
        PARALLEL, n -> carol.post("/consumers/carol-" + n, TestHttp.V2, "{\"name\":\"c\"}"));
    assertThat(created(answers)).isEqualTo(GROUPS_PER_PRINCIPAL);
    assertThat(broker.queryLong("select count(distinct group_name) from consumer_instance "
            + "where owner_principal = 'User:carol'"))
        .isEqualTo(GROUPS_PER_PRINCIPAL);
    assertThat(answers.stream()
            .filter(r -> r.status() == 429)
            .findFirst()
            .orElseThrow()
            .body())
        .contains("ROWSTREAM_MAX_GROUPS_PER_PRINCIPAL");
    // More instances in a group it already has instances in are fine.
    String group = broker.queryText(
        "select min(group_name) from consumer_instance where owner_principal = 'User:carol'");
    assertThat(carol
            .post("/consumers/" + group, TestHttp.V2, "{\"name\":\"second\"}")
            .status())
        .isEqualTo(200);
  }
}
