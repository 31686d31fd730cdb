package io.rowstream.support;

import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

/** A one-partition compacted topic's log as its rows show it, for tests of the cleaner. */
public final class CompactedLog {
  private CompactedLog() {}

  /**
   * Until every rolled segment was cleaned, and no kept tombstone's delete horizon has come (a
   * tombstone first kept by the pass that reached the active segment goes in a later one).
   */
  public static void awaitCleanedUpToTheActiveSegment(TestBroker broker, String topic) {
    Await.until(
        topic + " cleaned up to its active segment",
        Duration.ofSeconds(30),
        () -> broker.queryLong("select count(*) from topic_partition p join topic t"
                    + " using (topic_id) join segment s using (topic_id) where t.name = '"
                    + topic
                    + "' and s.rolled_at is null and p.cleaner_checkpoint = s.base_offset")
                == 1
            && broker.queryLong("select count(*) from segment s join topic t using (topic_id)"
                    + " where t.name = '" + topic + "' and s.delete_horizon_ms <="
                    + " (extract(epoch from clock_timestamp()) * 1000)::bigint")
                == 0);
  }

  /** The base offset of the topic's active segment. */
  public static long activeSegmentBase(TestBroker broker, String topic) {
    return broker.queryLong("select s.base_offset from segment s join topic t using (topic_id)"
        + " where t.name = '" + topic + "' and s.rolled_at is null");
  }

  /** Every stored batch of the topic, in offset order. */
  public static List<MutableRecordBatch> storedBatches(TestBroker broker, String topic) {
    List<MutableRecordBatch> out = new ArrayList<>();
    try (var c = broker.sql();
        var st = c.createStatement();
        var rs = st.executeQuery("select c.batch from chunk c join topic t using (topic_id)"
            + " where t.name = '" + topic + "' order by c.base_offset")) {
      while (rs.next()) {
        MemoryRecords.readableRecords(ByteBuffer.wrap(rs.getBytes(1))).batches().forEach(out::add);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
