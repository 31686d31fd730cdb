package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A few hundred generated malformed requests against produce, fetch, consumer, group and admin
 * routes: each is a 4xx with an error code, nothing is written, and the node keeps answering.
 */
class BadInputSweepTest {
  private static final int MAX_REQUEST_BYTES = 100_000;
  private static TestBroker broker;
  private static TestHttp http;
  private static String cid;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("sweep", c -> c.withMaxRequestBytes(MAX_REQUEST_BYTES));
    http = broker.http();
    http.createTopic("sweep", 2);
    cid = http.clusterId();
    assertThat(
            http.post("/consumers/sweepers", TestHttp.V2, "{\"name\":\"c1\",\"format\":\"binary\"}")
                .status())
        .isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private record Attempt(String method, String path, String contentType, byte[] body) {
    @Override
    public String toString() {
      String text = new String(body, 0, Math.min(body.length, 80), StandardCharsets.UTF_8);
      return method + " " + path + " [" + contentType + "] " + text
          + (body.length > 80 ? "…(" + body.length + ")" : "");
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Bodies no route accepts: broken JSON, the wrong JSON type, invalid UTF-8, deep nesting, oversize. */
  private static List<byte[]> badBodies() {
    List<byte[]> bodies = new ArrayList<>();
    for (String s : List.of(
        "{", "}", "[", "{\"records\":", "nul", "{\"a\":}", "{'a':1}", "[1]", "\"text\"", "42")) {
      bodies.add(utf8(s));
    }
    bodies.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
    bodies.add(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0});
    bodies.add(utf8("[".repeat(5_000) + "]".repeat(5_000)));
    bodies.add(
        utf8("{\"records\":[{\"value\":\"" + "QUFB".repeat(MAX_REQUEST_BYTES / 4 + 10) + "\"}]}"));
    return bodies;
  }

  /** Well-formed JSON with wrong types, huge numbers, bad base64 or names, for one route. */
  private static List<String> wrongFields(String route) {
    return switch (route) {
      case "v2" ->
        List.of(
            "{\"records\":\"x\"}",
            "{\"records\":[1,2]}",
            "{\"records\":[]}",
            "{\"records\":[{\"value\":\"!!!not base64!!!\"}]}",
            "{\"records\":[{\"partition\":\"zero\",\"value\":\"aGk=\"}]}",
            "{\"records\":[{\"partition\":99999999999999999999999,\"value\":\"aGk=\"}]}",
            "{\"records\":[{\"partition\":-7,\"value\":\"aGk=\"}]}",
            "{\"records\":[{\"value\":\"aGk=\",\"timestamp\":1e400}]}",
            "{\"records\":[{\"value\":\"aGk=\",\"headers\":[{\"name\":5,\"value\":\"%%%\"}]}]}");
      case "v3" ->
        List.of(
            "{\"value\":{\"type\":\"BINARY\",\"data\":\"!!!\"}}",
            "{\"partition_id\":\"zero\"}",
            "{\"partition_id\":99999999999999999999}",
            "{\"key\":{\"type\":\"NOPE\",\"data\":1}}",
            "{\"timestamp\":\"yesterday\"}",
            "{\"headers\":[{\"name\":5}]}");
      case "batch" ->
        List.of(
            "{\"entries\":\"x\"}",
            "{\"entries\":[]}",
            "{\"entries\":[{\"id\":{}}]}",
            "{\"entries\":[{\"id\":\"../..\"}]}");
      case "create" ->
        List.of(
            "{\"topic_name\":\"../../etc/passwd\",\"partitions_count\":1}",
            "{\"topic_name\":\"ok1\",\"partitions_count\":99999999999999}",
            "{\"topic_name\":5}",
            "{\"topic_name\":\"ok2\",\"partitions_count\":\"x\"}",
            "{\"topic_name\":\"ok3\",\"configs\":[{\"name\":\"retention.ms\",\"value\":\"-99999999999999999999\"}]}");
      case "alter" ->
        List.of(
            "{\"data\":[{\"name\":\"retention.ms\",\"value\":\"-99999999999999999999\"}]}",
            "{\"data\":\"x\"}",
            "{\"data\":[{\"name\":\"no.such\",\"value\":\"1\"}]}");
      case "broker-config" ->
        List.of(
            "{}",
            "{\"value\":null}",
            "{\"value\":{}}",
            "{\"value\":[1]}",
            "{\"value\":\"12\"}",
            "{\"value\":\"-99999999999999999999\"}",
            "{\"value\":1e400}");
      case "broker-alter" ->
        List.of(
            "{\"data\":\"x\"}",
            "{\"data\":[{\"name\":\"segment.bytes\",\"value\":\"2048\"}]}",
            "{\"data\":[{\"name\":\"log.roll.ms\",\"value\":\"1\"},{\"name\":\"log.segment.bytes\",\"value\":\"x\"}]}",
            "{\"data\":[{\"name\":\"log.roll.ms\",\"operation\":\"TRUNCATE\"}]}");
      case "consumer" ->
        List.of(
            "{\"name\":\"..%2F..\",\"format\":\"avro\"}",
            "{\"name\":\"c9\",\"format\":\"binary\",\"auto.offset.reset\":7}",
            "{\"name\":\"c9\",\"format\":5}",
            "{\"name\":\"c9\",\"auto.commit.enable\":\"maybe\"}",
            "{\"name\":\"c9\",\"session.timeout.ms\":\"99999999999999999999\"}");
      case "subscription" ->
        List.of("{\"topics\":5}", "{\"topics\":[[]]}", "{\"topic_pattern\":\"(\"}");
      case "assignments" ->
        List.of(
            "{\"partitions\":\"x\"}",
            "{\"partitions\":[{\"topic\":\"sweep\",\"partition\":1e99}]}",
            "{\"partitions\":[{\"topic\":\"sweep\",\"partition\":-1}]}",
            "{\"partitions\":[{\"topic\":\"../x\",\"partition\":0}]}");
      case "positions" ->
        List.of(
            "{\"offsets\":[{\"topic\":\"sweep\",\"partition\":0,\"offset\":\"x\"}]}",
            "{\"offsets\":\"x\"}",
            "{\"timestamps\":[{\"topic\":\"sweep\",\"partition\":0,\"timestamp\":\"yesterday\"}]}",
            "{\"offsets\":[{\"topic\":\"sweep\",\"partition\":99999999999,\"offset\":0}]}");
      case "offsets" ->
        List.of(
            "{\"offsets\":\"x\"}",
            "{\"offsets\":[{\"topic\":\"sweep\",\"partition\":0,\"offset\":-5}]}",
            "{\"offsets\":[{\"topic\":\"sweep\",\"partition\":0,\"offset\":1e99}]}");
      case "acls" ->
        List.of(
            "{\"resource_type\":\"TOPIC\",\"operation\":{}}",
            "{\"resource_type\":\"TABLE\",\"resource_name\":\"t\",\"principal\":\"User:a\",\"operation\":\"READ\",\"permission\":\"ALLOW\"}",
            "{\"resource_type\":\"CLUSTER\",\"resource_name\":\"x\",\"principal\":\"User:a\",\"operation\":\"READ\",\"permission\":\"ALLOW\"}",
            "{\"resource_type\":\"TOPIC\",\"resource_name\":\"t\",\"principal\":\"alice\",\"operation\":\"READ\",\"permission\":\"ALLOW\"}");
      case "acls-batch" ->
        List.of(
            "{}",
            "{\"data\":\"x\"}",
            "{\"data\":[5]}",
            "{\"data\":[{\"resource_type\":\"TOPIC\","
                + "\"resource_name\":\"t\",\"principal\":\"User:a\",\"operation\":\"READ\",\"permission\":\"ALLOW\"},"
                + "{\"resource_type\":\"TOPIC\",\"resource_name\":\"t\",\"principal\":\"a\",\"operation\":\"READ\","
                + "\"permission\":\"ALLOW\"}]}");
      case "users" ->
        List.of(
            "{\"name\":\"../x\",\"password\":\"p\"}",
            "{\"name\":\"u1\",\"password\":\"\"}",
            "{\"name\":\"u1\",\"password\":5}",
            "{\"name\":\"u1\",\"password\":\"" + "x".repeat(100) + "\"}");
      default -> throw new IllegalArgumentException(route);
    };
  }

  private static List<Attempt> attempts() {
    String v3 = "/v3/clusters/" + cid;
    String instance = "/consumers/sweepers/instances/c1";
    List<String[]> targets = List.of(
        new String[] {"POST", "/topics/sweep", TestHttp.BINARY, "v2"},
        new String[] {"POST", "/topics/sweep/partitions/0", TestHttp.BINARY, "v2"},
        new String[] {"POST", "/topics/sweep", TestHttp.JSON, "v2"},
        new String[] {"POST", v3 + "/topics/sweep/records", "application/json", "v3"},
        new String[] {"POST", v3 + "/topics/sweep/records:batch", "application/json", "batch"},
        new String[] {"POST", v3 + "/topics", "application/json", "create"},
        new String[] {"POST", v3 + "/topics/sweep/configs:alter", "application/json", "alter"},
        new String[] {"POST", v3 + "/topics/-/configs:alter", "application/json", "alter"},
        new String[] {
          "PUT", v3 + "/broker-configs/log.segment.bytes", "application/json", "broker-config"
        },
        new String[] {
          "PUT", v3 + "/topics/sweep/configs/segment.bytes", "application/json", "broker-config"
        },
        new String[] {"POST", v3 + "/broker-configs:alter", "application/json", "broker-alter"},
        new String[] {"POST", "/consumers/sweepers", TestHttp.V2, "consumer"},
        new String[] {"POST", instance + "/subscription", TestHttp.V2, "subscription"},
        new String[] {"POST", instance + "/assignments", TestHttp.V2, "assignments"},
        new String[] {"POST", instance + "/positions", TestHttp.V2, "positions"},
        new String[] {"POST", instance + "/offsets", TestHttp.V2, "offsets"},
        new String[] {"POST", v3 + "/acls", "application/json", "acls"},
        new String[] {"POST", v3 + "/acls:batch", "application/json", "acls-batch"},
        new String[] {"POST", v3 + "/users", "application/json", "users"});
    List<Attempt> out = new ArrayList<>();
    for (String[] t : targets) {
      for (byte[] body : badBodies()) {
        out.add(new Attempt(t[0], t[1], t[2], body));
      }
      for (String body : wrongFields(t[3])) {
        if (!(t[2].equals(TestHttp.JSON) && body.contains("base64"))
            && !(t[1].endsWith("/0") && body.contains("partition"))) {
          out.add(new Attempt(t[0], t[1], t[2], utf8(body)));
        }
      }
    }
    // Query parameters and names: wrong types, huge numbers, path traversal.
    for (String q : List.of(
        "offset=abc",
        "offset=-5",
        "offset=99999999999999999999999",
        "max_bytes=0",
        "max_bytes=x",
        "timeout=-1",
        "timeout=1e9",
        "offset=0&max_bytes=-1")) {
      out.add(new Attempt("GET", "/topics/sweep/partitions/0/records?" + q, null, new byte[0]));
      out.add(new Attempt(
          "GET", instance + "/records?" + q.replace("offset", "timeout"), null, new byte[0]));
    }
    for (String name : List.of(
        "..%2F..%2Fetc%2Fpasswd",
        "%2e%2e", "a%00b", "..", "%252e%252e%252f", "x".repeat(300), "t%C3%28", "%FF%FE")) {
      out.add(new Attempt("GET", "/topics/" + name, null, new byte[0]));
      out.add(new Attempt(
          "POST",
          "/topics/" + name,
          TestHttp.BINARY,
          utf8("{\"records\":[{\"value\":\"aGk=\"}]}")));
      out.add(new Attempt(
          "GET", "/topics/sweep/partitions/" + name + "/records?offset=0", null, new byte[0]));
      out.add(new Attempt("DELETE", v3 + "/topics/" + name, null, new byte[0]));
      out.add(new Attempt(
          "PUT", v3 + "/broker-configs/" + name, "application/json", utf8("{\"value\":\"1\"}")));
      out.add(new Attempt("DELETE", v3 + "/broker-configs/" + name, null, new byte[0]));
      out.add(new Attempt(
          "PUT",
          v3 + "/topics/sweep/configs/" + name,
          "application/json",
          utf8("{\"value\":\"1\"}")));
      out.add(new Attempt("DELETE", v3 + "/topics/sweep/configs/" + name, null, new byte[0]));
      out.add(new Attempt(
          "GET", v3 + "/topics/sweep/partitions/" + name + "/offset", null, new byte[0]));
      out.add(new Attempt(
          "POST", "/consumers/" + name + "/instances/c1/positions/end", TestHttp.V2, utf8("{}")));
    }
    return out;
  }

  @Test
  void every_malformed_request_is_a_4xx_with_an_error_code_and_writes_nothing() {
    String counts =
        "select (select count(*) from chunk) || '/' || (select count(*) from topic) || '/' || "
            + "(select count(*) from consumer_instance) || '/' || (select count(*) from consumer_assignment) || '/' || "
            + "(select count(*) from committed_offset) || '/' || (select count(*) from acl) || '/' || "
            + "(select count(*) from auth_user) || '/' || (select string_agg(configs::text, ',') from topic) || '/' || "
            + "(select count(*) from cluster_config)";
    String before = broker.queryText(counts);
    List<Attempt> attempts = attempts();
    assertThat(attempts).hasSizeGreaterThan(300);
    List<String> wrong = new ArrayList<>();
    for (Attempt a : attempts) {
      Response r = null;
      for (int attempt = 1; r == null; attempt++) {
        try {
          // An oversize body waits for the server's go-ahead, which a refusal replaces: sent at
          // once, its 413 was lost now and then to the reset of the connection the server closed
          // while the body still arrived (five times in a row on a loaded CI machine).
          r = a.body().length > MAX_REQUEST_BYTES
              ? http.bytesAfterContinue(a.method(), a.path(), a.contentType(), a.body())
              : http.bytes(a.method(), a.path(), a.contentType(), a.body());
        } catch (java.io.UncheckedIOException e) {
          // After refusing an oversize body the server closes that connection, and the client may
          // pick it (or another one closed the same way) from its pool for the next request: the
          // request never reached the server. Again, until the client opens a fresh connection.
          if (attempt == 5) {
            throw e;
          }
        }
      }
      // The v3 records stream answers each record in a 200 stream, a failed one with its error
      // code.
      boolean streamed =
          a.method().equals("POST") && a.path().endsWith("/records") && r.status() == 200;
      boolean ok = (streamed || r.status() >= 400 && r.status() < 500)
          && r.body().startsWith("{")
          && r.json().path("error_code").asInt() >= 400
          && !r.json().path("message").asText().isBlank();
      if (!ok) {
        wrong.add(a + " -> " + r.status() + " " + r.body());
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(broker.queryText(counts)).as("nothing written").isEqualTo(before);
    assertThat(http.get("/status/live").status()).isEqualTo(200);
    assertThat(http.post("/topics/sweep", TestHttp.BINARY, "{\"records\":[{\"value\":\"aGk=\"}]}")
            .status())
        .isEqualTo(200);
  }
}
