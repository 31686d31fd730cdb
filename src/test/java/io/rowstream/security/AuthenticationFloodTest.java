package io.rowstream.security;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Wrong passwords cost a bcrypt check each: a flood of them is refused (429 / 42901) without one
 * once an address or a user name has failed too often, while cached credentials and right
 * passwords from other addresses keep getting in. Each test floods from addresses of its own
 * (127.0.0.x all reach the node over loopback, and the node tells them apart).
 */
class AuthenticationFloodTest {
  private static final int LIMIT = 5;
  private static final int CONCURRENT_CHECKS = 1;
  private static TestBroker broker;
  private static TestHttp admin;

  @BeforeAll
  static void start() {
    OpsConfig.Auth auth = new OpsConfig.Auth(
            true,
            Set.of("User:admin"),
            Optional.of("admin"),
            Optional.of("admin-pw"),
            false,
            Duration.ofMinutes(5))
        .withFailures(new OpsConfig.AuthFailures(
            LIMIT,
            Duration.ofMinutes(1),
            Duration.ofMinutes(1),
            Duration.ofMinutes(2),
            CONCURRENT_CHECKS));
    broker = TestBroker.start("authn_flood", c -> c.withOps(c.ops().withAuth(auth)));
    admin = broker.http().from("127.0.0.1").as("admin", "admin-pw");
    String base = "/v3/clusters/" + admin.clusterId();
    for (String user : List.of("alice", "bob", "carol", "dave", "frank")) {
      admin
          .post(
              base + "/users",
              "application/json",
              TestHttp.json(Map.of("name", user, "password", user + "-pw")))
          .expectStatus(201);
    }
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_burst_of_parallel_requests_with_one_new_password_costs_one_check_and_none_is_refused()
      throws Exception {
    admin
        .post(
            "/v3/clusters/" + admin.clusterId() + "/users",
            "application/json",
            TestHttp.json(Map.of("name", "gina", "password", "gina-pw")))
        .expectStatus(201);
    TestHttp gina = broker.http().from("127.0.0.7").as("gina", "gina-pw");
    int requests = 32; // one check at a time (CONCURRENT_CHECKS): 32 checks would outlast MAX_WAIT
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    List<Integer> statuses = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<Integer>> burst = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        burst.add(pool.submit(() -> {
          go.await();
          return gina.get("/brokers").status();
        }));
      }
      go.countDown();
      for (java.util.concurrent.Future<Integer> f : burst) {
        statuses.add(f.get());
      }
    }
    assertThat(statuses).hasSize(requests).containsOnly(200);
  }

  @Test
  void a_flood_of_wrong_passwords_from_one_address_is_refused_without_checking_them()
      throws Exception {
    TestHttp bob = broker.http().from("127.0.0.1").as("bob", "bob-pw");
    assertThat(bob.get("/brokers").status()).isEqualTo(200);
    TestHttp attacker = broker.http().from("127.0.0.2");
    int threads = 8;
    int perThread = 10;

    List<Integer> statuses = new ArrayList<>();
    List<Response> throttled = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<CompletableFuture<List<Response>>> flood = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        flood.add(CompletableFuture.supplyAsync(
            () -> {
              List<Response> answers = new ArrayList<>();
              for (int i = 0; i < perThread; i++) {
                // A forwarding header names no address the node believes: it counts the
                // connection's.
                answers.add(attacker
                    .as("alice", "guess-" + thread + "-" + i)
                    .get("/brokers", "X-Forwarded-For", "203.0.113." + (thread * perThread + i)));
              }
              return answers;
            },
            pool));
      }
      // A client whose credential is cached is served all along.
      while (!flood.stream().allMatch(CompletableFuture::isDone)) {
        assertThat(bob.get("/brokers").status()).isEqualTo(200);
      }
      for (CompletableFuture<List<Response>> f : flood) {
        for (Response r : f.get()) {
          statuses.add(r.status());
          if (r.status() == 429) {
            throttled.add(r);
          }
        }
      }
    }

    // Each 401 was one bcrypt check (every guess differs, so none was cached); the rest were
    // refused
    // before a check: at most the limit, plus the checks already running when it was reached.
    long checked = statuses.stream().filter(s -> s == 401).count();
    assertThat(statuses).containsOnly(401, 429);
    assertThat(checked).isBetween((long) LIMIT, (long) LIMIT + CONCURRENT_CHECKS);
    assertThat(throttled).hasSize(threads * perThread - (int) checked);
    for (Response r : throttled) {
      TestHttp.assertError(r, 429, 42901);
      assertThat(r.headers().firstValue("Retry-After"))
          .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
    }
    // The right password of the flooded user gets in from an address that is not flooding.
    assertThat(broker
            .http()
            .from("127.0.0.3")
            .as("alice", "alice-pw")
            .get("/brokers")
            .status())
        .isEqualTo(200);
    // The flooding address stays refused, even with a right password, until its backoff ends.
    TestHttp.assertError(attacker.as("dave", "dave-pw").get("/brokers"), 429, 42901);
    assertThat(bob.get("/brokers").status()).isEqualTo(200);
  }

  @Test
  @Tag("slow")
  void a_flood_of_wrong_api_keys_does_not_evict_verified_credentials() throws Exception {
    TestHttp frank = broker.http().from("127.0.0.5").as("frank", "frank-pw");
    assertThat(frank.get("/brokers").status()).isEqualTo(200);
    // Behind frank's back, the stored hash now belongs to another password: only the cached
    // verdict still lets the old one in (the TTL is 5 min).
    try (var c = broker.sql();
        var update = c.createStatement()) {
      update.executeUpdate(
          "update auth_user set password_hash = (select password_hash from auth_user "
              + "where name = 'bob') where name = 'frank'");
    }
    TestHttp attacker = broker.http().from("127.0.0.6");
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<CompletableFuture<Void>> flood = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        flood.add(CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i <= Authenticator.MAX_CACHED / 4; i++) {
                TestHttp.assertError(
                    attacker.withAuthorization("Bearer rsk_" + thread + "_" + i).get("/brokers"),
                    401,
                    40101);
              }
            },
            pool));
      }
      for (CompletableFuture<Void> f : flood) {
        f.get();
      }
    }
    assertThat(frank.get("/brokers").status()).isEqualTo(200);
  }

  @Test
  void a_user_name_guessed_from_many_addresses_is_refused_to_addresses_that_failed() {
    // LIMIT failures for carol, spread so that no address reaches the limit by itself.
    for (int i = 0; i < LIMIT; i++) {
      Response r =
          broker.http().from("127.0.1." + (i % 3 + 1)).as("carol", "guess-" + i).get("/brokers");
      TestHttp.assertError(r, 401, 40101);
    }
    TestHttp.assertError(
        broker.http().from("127.0.1.1").as("carol", "guess-again").get("/brokers"), 429, 42901);
    TestHttp.assertError(
        broker.http().from("127.0.1.2").as("carol", "carol-pw").get("/brokers"), 429, 42901);
    // Other users from those addresses, and carol from a clean address, are checked as usual.
    assertThat(
            broker.http().from("127.0.1.1").as("bob", "bob-pw").get("/brokers").status())
        .isEqualTo(200);
    assertThat(broker
            .http()
            .from("127.0.1.9")
            .as("carol", "carol-pw")
            .get("/brokers")
            .status())
        .isEqualTo(200);
  }
}
