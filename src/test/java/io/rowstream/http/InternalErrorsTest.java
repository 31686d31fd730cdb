package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.CapturedLog;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A database failure the client cannot act on is an internal error: the client gets only an id
 * ({@code {"error_code":50002,"message":"Internal error <id>"}}), the node logs the id with the cause
 * at ERROR, once. The failures are real: objects of this class's own database are renamed away.
 */
class InternalErrorsTest {
  private static final Pattern INTERNAL = Pattern.compile("Internal error ([0-9a-f]{12})");

  static TestBroker broker;
  static TestHttp http;
  static String cid;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("internal_errors");
    http = broker.http();
    cid = http.clusterId();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_failing_query_answers_only_an_id_that_the_node_logs_with_the_cause() throws SQLException {
    Response r = whileRenamed(
        "alter table consumer_group rename to consumer_group_gone",
        "alter table consumer_group_gone rename to consumer_group",
        () -> http.get("/v3/clusters/" + cid + "/consumer-groups"),
        "consumer_group");

    assertThat(r.status()).isEqualTo(500);
  }

  @Test
  void a_failing_append_answers_only_an_id_on_v2_and_v3_produce() throws SQLException {
    http.createTopic("appends", 1);
    String rename =
        "do $$ declare f regprocedure; begin for f in select oid::regprocedure from pg_proc"
            + " where proname = '%s' loop execute format('alter function %%s rename to %s', f); end loop; end $$";
    String away = rename.formatted("append_chunks", "append_chunks_gone");
    String back = rename.formatted("append_chunks_gone", "append_chunks");

    Response v2 = whileRenamed(
        away,
        back,
        () -> http.post("/topics/appends", TestHttp.BINARY, "{\"records\":[{\"value\":\"AA==\"}]}"),
        "append_chunks");
    Response v3 = whileRenamed(
        away,
        back,
        () -> http.post(
            "/v3/clusters/" + cid + "/topics/appends/records",
            "application/json",
            "{\"value\":{\"type\":\"BINARY\",\"data\":\"AA==\"}}"),
        "append_chunks");

    assertThat(v2.status()).isEqualTo(500);
    assertThat(v3.status())
        .as("v3 answers each record of its stream in the body")
        .isEqualTo(200);
    assertThat(broker.queryLong("select log_end_offset from topic_partition")).isZero();
  }

  /**
   * Runs {@code call} while {@code away} is in force, checks its answer shows nothing internal but
   * an id, and that the node logged that id with a cause naming {@code cause}, at ERROR, once.
   */
  private static Response whileRenamed(
      String away, String back, Supplier<Response> call, String cause) throws SQLException {
    Response r;
    List<String> lines;
    execute(away);
    try (CapturedLog log = CapturedLog.start()) {
      r = call.get();
      lines = log.lines();
    } finally {
      execute(back);
    }
    assertThat(r.body())
        .doesNotContainIgnoringCase("sql")
        .doesNotContainIgnoringCase("select")
        .doesNotContain(cause)
        .doesNotContain("Exception")
        .doesNotContain("at io.");
    assertThat(r.json().path("error_code").asInt()).as(r.body()).isEqualTo(50002);
    Matcher id = INTERNAL.matcher(r.body());
    assertThat(id.find()).as(r.body()).isTrue();
    assertThat(r.json().toString())
        .isEqualTo("{\"error_code\":50002,\"message\":\"Internal error " + id.group(1) + "\"}");
    String logged = String.join("\n", lines);
    assertThat(lines.stream().filter(l -> l.contains(id.group(1))))
        .as(logged)
        .hasSize(1)
        .allMatch(l -> l.contains(" ERROR "));
    assertThat(logged).contains(cause);
    return r;
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = broker.sql();
        Statement s = c.createStatement()) {
      s.execute("set search_path = rowstream");
      s.execute(sql);
    }
  }
}
