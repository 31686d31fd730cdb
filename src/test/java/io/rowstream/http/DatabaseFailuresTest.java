package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A database failure that no store translated itself reaches the client as the broker error the
 * core maps it to (here a serialization failure: retriable, 500 / 50003), never as SQL.
 */
class DatabaseFailuresTest {
  private static TestBroker broker;
  private static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("database_failures");
    http = broker.http();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static void sql(String statement) throws SQLException {
    try (Connection c = broker.sql();
        var s = c.createStatement()) {
      s.execute(statement);
    }
  }

  @Test
  void a_database_failure_escaping_the_stores_is_answered_as_the_broker_error_it_means()
      throws SQLException {
    http.createTopic("held", 1);
    sql("""
        create function refuse_topic_delete() returns trigger language plpgsql as $$
        begin
          raise exception 'could not serialize access in refuse_topic_delete' using errcode = '40001';
        end $$""");
    sql(
        "create trigger refuse_topic_delete before delete on topic for each row execute function refuse_topic_delete()");
    try {
      Response r = http.delete("/v3/clusters/" + http.clusterId() + "/topics/held");
      TestHttp.assertError(r, 500, 50003);
      assertThat(r.body())
          .contains("Database unavailable, retry.")
          .doesNotContain("serialize")
          .doesNotContain("refuse_topic_delete");
    } finally {
      sql("drop trigger refuse_topic_delete on topic");
      sql("drop function refuse_topic_delete()");
    }
    assertThat(http.delete("/v3/clusters/" + http.clusterId() + "/topics/held").status())
        .isEqualTo(204);
  }
}
