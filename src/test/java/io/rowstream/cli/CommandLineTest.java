package io.rowstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/rowstream} against a running node, as a shell user drives it: topics, produce then
 * consume the same lines, a group member that commits, lag and offset resets, tables and JSON,
 * errors on stderr with the server's error code and the documented exit codes.
 */
class CommandLineTest {
  static TestBroker broker;
  static Cli cli;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("cli");
    cli = new Cli(Map.of("ROWSTREAM_URL", broker.http().baseUrl()));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Cli.Result ok(Cli.Result r) {
    assertThat(r.exit()).as(r.toString()).isZero();
    return r;
  }

  private static List<String> names(JsonNode rows, String field) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.path(field).asText()));
    return out;
  }

  @Test
  void topics_are_created_listed_described_altered_and_deleted() {
    Cli.Result created =
        ok(cli.run("topics", "create", "cli-orders", "-p", "2", "-c", "retention.ms=3600000"));
    assertThat(created.out()).contains("cli-orders").contains("2");
    assertThat(broker.queryLong("select partition_count from topic where name = 'cli-orders'"))
        .isEqualTo(2);

    Cli.Result table = ok(cli.run("topics", "list"));
    assertThat(table.out().lines().findFirst().orElseThrow()).matches("NAME +PARTITIONS +REPLICAS");
    assertThat(table.out()).containsPattern("(?m)^cli-orders +2 +1$");
    JsonNode list = ok(cli.run("topics", "list", "--output", "json")).json();
    assertThat(names(list, "name")).contains("cli-orders");

    ok(cli.run("topics", "alter", "cli-orders", "--set", "retention.ms=7200000", "-p", "3"));
    JsonNode described =
        ok(cli.run("topics", "describe", "cli-orders", "-o", "json")).json();
    assertThat(described.path("partitions_count").asInt()).isEqualTo(3);
    assertThat(described.path("partitions")).hasSize(3);
    assertThat(described.path("configs")).anySatisfy(c -> {
      assertThat(c.path("name").asText()).isEqualTo("retention.ms");
      assertThat(c.path("value").asText()).isEqualTo("7200000");
      assertThat(c.path("source").asText()).isEqualTo("DYNAMIC_TOPIC_CONFIG");
    });
    Cli.Result people = ok(cli.run("topics", "describe", "cli-orders"));
    assertThat(people.out()).containsPattern("(?m)^retention\\.ms +7200000 +DYNAMIC_TOPIC_CONFIG$");
    assertThat(people.out()).contains("LOG-START").contains("LOG-END");

    ok(cli.run("topics", "delete", "cli-orders"));
    assertThat(broker.queryLong("select count(*) from topic where name = 'cli-orders'"))
        .isZero();
    Cli.Result gone = cli.run("topics", "describe", "cli-orders");
    assertThat(gone.exit()).as(gone.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(gone.out()).isEmpty();
    assertThat(gone.err()).startsWith("error: ").contains("error_code 40403");
  }

  @Test
  void lines_produced_from_stdin_are_consumed_back_with_count() {
    ok(cli.run("topics", "create", "cli-lines", "-p", "1"));
    String lines = "first line\nsecond line\nthird, with ünïcode\n";
    Cli.Result produced = ok(cli.input(lines, "produce", "cli-lines"));
    assertThat(produced.out()).containsPattern("(?m)^0 +0 +2 +3$");
    assertThat(produced.err()).contains("produced 3 records").doesNotContain("\r");

    Cli.Result consumed = ok(cli.run("consume", "cli-lines", "--from-beginning", "--count", "3"));
    assertThat(consumed.out()).isEqualTo(lines);
    assertThat(consumed.err()).isEmpty();

    ok(cli.input("k1=v1\nk2=v2\n", "produce", "cli-lines", "-k", "=", "-H", "source=cli"));
    JsonNode record = new Cli.Result(
            0,
            ok(cli.run("consume", "cli-lines", "--offset", "3", "--count", "1", "-o", "json"))
                .out(),
            "")
        .json();
    assertThat(record.path("key").asText()).isEqualTo("k1");
    assertThat(record.path("value").asText()).isEqualTo("v1");
    assertThat(record.path("offset").asLong()).isEqualTo(3);
    assertThat(record.path("headers").path("source").asText()).isEqualTo("cli");
    assertThat(broker.queryLong(
            "select count(*) from consumer_group where group_name like 'rowstream-cli-%'"))
        .as("a consume without --group leaves no group behind")
        .isZero();
  }

  @Test
  void
      a_group_member_commits_then_lag_is_zero_and_a_reset_brings_it_back_unless_a_member_is_live() {
    ok(cli.run("topics", "create", "cli-billing", "-p", "2"));
    ok(cli.input("a\nb\nc\nd\n", "produce", "cli-billing"));
    Cli.Result read = ok(
        cli.run("consume", "cli-billing", "--group", "cli-g", "--from-beginning", "--count", "4"));
    assertThat(read.out().lines().sorted().toList()).containsExactly("a", "b", "c", "d");

    assertThat(totalLag()).as("the member committed what it printed").isZero();
    assertThat(ok(cli.run("groups", "list")).out()).containsPattern("(?m)^cli-g +EMPTY ");

    Cli.Result plan = ok(cli.run("groups", "reset-offsets", "cli-g", "--to-earliest"));
    assertThat(plan.out()).containsPattern("(?m)^cli-g +cli-billing +\\d +\\d +0$");
    assertThat(plan.err()).contains("dry run");
    assertThat(totalLag()).as("a dry run stores nothing").isZero();

    ok(cli.run("groups", "reset-offsets", "cli-g", "--to-earliest", "--execute"));
    assertThat(totalLag()).isEqualTo(4);

    // A live member (an HTTP consumer instance) blocks the reset, as Kafka blocks it.
    TestHttp http = broker.http();
    http.post(
            "/consumers/cli-g",
            TestHttp.V2,
            TestHttp.json(Map.of("name", "live", "format", "binary")))
        .expectStatus(200);
    http.post(
            "/consumers/cli-g/instances/live/subscription",
            TestHttp.V2,
            TestHttp.json(Map.of("topics", List.of("cli-billing"))))
        .expectStatus(204);
    Cli.Result refused = cli.run("groups", "reset-offsets", "cli-g", "--to-latest", "--execute");
    assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(refused.err()).contains("error_code 409").contains("live consumer instance");
    assertThat(refused.out()).isEmpty();
    assertThat(totalLag()).as("nothing written on refusal").isEqualTo(4);
    Cli.Result notDeleted = cli.run("groups", "delete", "cli-g");
    assertThat(notDeleted.exit()).as(notDeleted.toString()).isEqualTo(ExitCodes.CONFLICT);

    http.delete("/consumers/cli-g/instances/live").expectStatus(204);
    JsonNode describe = ok(cli.run("groups", "describe", "cli-g", "-o", "json")).json();
    assertThat(describe.path("live_members").asInt()).isZero();
    assertThat(describe.path("members")).isEmpty();
    assertThat(describe.path("lags")).isNotEmpty();
    ok(cli.run("groups", "delete", "cli-g"));
    assertThat(broker.queryLong("select count(*) from consumer_group where group_name = 'cli-g'"))
        .isZero();
  }

  private long totalLag() {
    long total = 0;
    for (JsonNode lag :
        ok(cli.run("groups", "lag", "cli-g", "--output", "json")).json()) {
      total += lag.path("lag").asLong();
    }
    return total;
  }

  @Test
  void consume_follows_from_the_end_until_ctrl_c_and_then_leaves_no_member_behind()
      throws Exception {
    ok(cli.run("topics", "create", "cli-follow", "-p", "1"));
    ok(cli.input("old\n", "produce", "cli-follow"));
    Process follow = cli.start("consume", "cli-follow");
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8))) {
      Await.until(
          "the consumer is positioned at the end",
          Duration.ofSeconds(60),
          () -> broker.queryLong(
                  "select count(*) from consumer_assignment where group_name like 'rowstream-cli-%'"
                      + " and position is not null")
              == 1);
      ok(cli.input("new\n", "produce", "cli-follow"));
      assertThat(out.readLine())
          .as("from the end: the record produced after it started")
          .isEqualTo("new");
      assertThat(follow.isAlive()).as("it follows until interrupted").isTrue();

      new ProcessBuilder("kill", "-INT", Long.toString(follow.pid())).start().waitFor();
      assertThat(follow.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(follow.exitValue()).isEqualTo(ExitCodes.INTERRUPTED);
    } finally {
      follow.destroyForcibly();
    }
    assertThat(broker.queryLong(
            "select count(*) from consumer_instance where group_name like 'rowstream-cli-%'"))
        .as("Ctrl-C deletes the consumer instance")
        .isZero();
  }

  @Test
  void cluster_info_and_usage_errors_answer_as_documented() {
    JsonNode info = ok(cli.run("cluster", "info", "-o", "json")).json();
    assertThat(info.path("cluster_id").asText()).isEqualTo(broker.http().clusterId());
    assertThat(info.path("brokers")).isNotEmpty();

    Cli.Result unknown = cli.run("topics", "frobnicate");
    assertThat(unknown.exit()).as(unknown.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.out()).isEmpty();

    Cli.Result help = ok(cli.run("groups", "reset-offsets", "--help"));
    assertThat(help.out()).contains("--to-earliest").contains("--execute");
    assertThat(ok(cli.run("--help")).out()).contains("Exit codes:").contains("ROWSTREAM_URL");

    Cli.Result unreachable =
        cli.with(Map.of("ROWSTREAM_URL", "http://127.0.0.1:1")).run("topics", "list");
    assertThat(unreachable.exit()).as(unreachable.toString()).isEqualTo(ExitCodes.UNREACHABLE);
  }

  @Test
  void progress_is_drawn_on_stderr_only_when_it_is_a_terminal() {
    ok(cli.run("topics", "create", "cli-progress", "-p", "1"));
    Cli.Result watched = ok(cli.with(Map.of(
            "ROWSTREAM_JAVA_OPTS", "-Drowstream.stdout.tty=true -Drowstream.stderr.tty=true"))
        .input("x\ny\n", "produce", "cli-progress"));
    assertThat(watched.err()).contains("\r").contains("records produced");
    Cli.Result piped = ok(cli.input("x\ny\n", "produce", "cli-progress", "-o", "json"));
    assertThat(piped.err()).isEmpty();
    assertThat(piped.json().get(0).path("records").asInt()).isEqualTo(2);
  }
}
