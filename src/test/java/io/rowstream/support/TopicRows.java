package io.rowstream.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;

/** A fingerprint of every topic, partition and segment row: equal before and after means nothing was written. */
public final class TopicRows {
  private static final String FINGERPRINT = """
      select coalesce((select string_agg(topic_id || ':' || name || ':' || partition_count || ':'
                                         || replication_factor || ':' || configs::text, ',' order by topic_id)
                       from topic), '')
          || '|' || (select count(*) from topic_partition)
          || '|' || (select count(*) from segment)
      """;

  private TopicRows() {}

  /** Sends the request and checks that it was refused with that status and code, and that no row changed. */
  public static void assertRefusedWithoutWrites(
      TestBroker broker, Supplier<TestHttp.Response> request, int status, int errorCode) {
    String before = snapshot(broker);
    TestHttp.Response r = request.get();
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.errorCode()).as(r.body()).isEqualTo(errorCode);
    assertThat(snapshot(broker)).as("rows after the refused request").isEqualTo(before);
  }

  public static String snapshot(TestBroker broker) {
    try (Connection c = broker.sql();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(FINGERPRINT)) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
