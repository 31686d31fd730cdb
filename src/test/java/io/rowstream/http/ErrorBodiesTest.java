package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The error answers no route writes itself, over real HTTP: readiness refused while migrations are
 * pending, and a refusal Jetty raises before any route runs. Both are {@code {"error_code",
 * "message"}} with the codes they have always had.
 */
class ErrorBodiesTest {
  private static TestBroker broker;
  private static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("error_bodies");
    http = broker.http();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void readiness_is_503_with_50003_while_a_migration_is_pending() throws SQLException {
    try (Connection c = broker.sql();
        Statement s = c.createStatement()) {
      s.execute(
          "create table public.applied_last as select * from flyway_schema_history where installed_rank ="
              + " (select max(installed_rank) from flyway_schema_history where version is not null)");
      s.execute("delete from flyway_schema_history"
          + " where installed_rank in (select installed_rank from public.applied_last)");
      try {
        Response r = http.get("/status/ready");
        TestHttp.assertError(r, 503, 50003);
        assertThat(r.json().get("message").asText()).isEqualTo("Schema migrations are pending.");
      } finally {
        s.execute("insert into flyway_schema_history select * from public.applied_last");
        s.execute("drop table public.applied_last");
      }
    }
    assertThat(http.get("/status/ready").status()).isEqualTo(200);
  }

  @Test
  void a_header_block_over_jettys_limit_is_431_with_its_status_as_code() {
    Response r = http.get("/topics", "X-Padding", "a".repeat(20 * 1024));
    TestHttp.assertError(r, 431, 431);
    assertThat(r.contentType()).startsWith("application/json");
  }
}
