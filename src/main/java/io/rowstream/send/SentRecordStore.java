package io.rowstream.send;

import io.rowstream.db.Tx;
import io.rowstream.log.LogRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jooq.Record;

/**
 * The SQL of {@code sent_record} (migrations/V30), the rows {@code rowstream.send} inserts
 * (sql/R__send_functions.sql): which partitions have rows, and the move's take of a partition's
 * oldest rows, in the transaction that appends them; and of {@code send_heat} (migrations/V35),
 * whether the nodes poll for them.
 */
final class SentRecordStore {
  /** A partition with sent rows; {@code topicName} null when its topic no longer exists. */
  record PendingPartition(long topicId, String topicName, int partition) {}

  /**
   * The distinct partitions of sent_record, by a walk of its primary key (one index probe per
   * partition, however many rows wait), with their topic's name.
   */
  private static final String PENDING_PARTITIONS = """
      with recursive p as (
          (select topic_id, partition_id from sent_record order by topic_id, partition_id limit 1)
          union all
          select n.topic_id, n.partition_id from p cross join lateral (
              select s.topic_id, s.partition_id from sent_record s
               where (s.topic_id, s.partition_id) > (p.topic_id, p.partition_id)
               order by s.topic_id, s.partition_id limit 1) n)
      select p.topic_id, t.name, p.partition_id from p left join topic t using (topic_id)""";

  /**
   * The partition's row, locked as append_chunks locks it: movers of one partition take turns,
   * and each one's delete sees what the one before it deleted.
   */
  private static final String LOCK_PARTITION =
      "select 1 from topic_partition where topic_id = ? and partition_id = ? for update";

  /**
   * The partition's oldest rows, whole sender transactions only: every row of the sender
   * transactions up to and including that of the {@code limit}-th row (all rows when there are
   * fewer), so a transaction's records never straddle two moves. Deleted as they are read.
   */
  private static final String TAKE = """
      with cut as (
          select sender_xid from sent_record where topic_id = ? and partition_id = ?
           order by sender_xid, send_id offset ? limit 1)
      delete from sent_record s
       where s.topic_id = ? and s.partition_id = ?
         and (not exists (select 1 from cut) or s.sender_xid <= (select sender_xid from cut))
      returning s.sender_xid::text, s.send_id, s.key, s.value,
          (select array_agg(h.key order by h.n) from jsonb_each_text(s.headers) with ordinality h(key, value, n)),
          (select array_agg(h.value order by h.n) from jsonb_each_text(s.headers) with ordinality h(key, value, n)),
          coalesce(s.timestamp_ms, floor(extract(epoch from s.sent_at) * 1000)::bigint)""";

  /**
   * Pushes the heat about two seconds ahead, once a second at most: the nodes poll, and senders
   * do not notify, until it passes.
   */
  private static final String WARM = """
      insert into send_heat (hot_until) values (now() + interval '2 seconds')
      on conflict (singleton) do update set hot_until = excluded.hot_until
       where send_heat.hot_until < now() + interval '1 second'""";

  /**
   * Whether to poll: until a second after the heat passed, so that a sender that saw it before it
   * passed, and commits a little later, is still polled for rather than swept.
   */
  private static final String POLLING =
      "select exists (select 1 from send_heat where hot_until > now() - interval '1 second')";

  private final Tx tx;

  SentRecordStore(Tx tx) {
    this.tx = tx;
  }

  List<PendingPartition> pendingPartitions() {
    return tx.dsl()
        .resultQuery(PENDING_PARTITIONS)
        .fetch(r -> new PendingPartition(
            r.get(0, Long.class), r.get(1, String.class), r.get(2, Integer.class)));
  }

  void warm() {
    tx.dsl().execute(WARM);
  }

  boolean polling() {
    return tx.dsl().fetchSingle(POLLING).get(0, Boolean.class);
  }

  /** Deletes the rows of a topic that no longer exists. */
  int dropTopic(long topicId) {
    return tx.dsl().execute("delete from sent_record where topic_id = ?", topicId);
  }

  /**
   * Locks the partition and deletes its oldest rows (at least {@code limit} when there are as
   * many, whole sender transactions), answering them as records in the log's order: by sender
   * transaction, then call order. Empty when the partition has no rows or does not exist.
   */
  List<LogRecord> take(long topicId, int partition, int limit) {
    if (tx.dsl().fetchOptional(LOCK_PARTITION, topicId, partition).isEmpty()) {
      return List.of();
    }
    List<Taken> taken = new ArrayList<>(tx.dsl()
        .resultQuery(TAKE, topicId, partition, limit - 1, topicId, partition)
        .fetch(SentRecordStore::taken));
    taken.sort(Comparator.comparing((Taken t) -> t.xid(), Long::compareUnsigned)
        .thenComparingLong(Taken::sendId));
    return taken.stream().map(Taken::record).toList();
  }

  private record Taken(long xid, long sendId, LogRecord record) {}

  private static Taken taken(Record r) {
    String[] names = r.get(4, String[].class);
    String[] values = r.get(5, String[].class);
    List<LogRecord.Header> headers = new ArrayList<>(names == null ? 0 : names.length);
    for (int i = 0; names != null && i < names.length; i++) {
      headers.add(new LogRecord.Header(
          names[i],
          values[i] == null ? null : values[i].getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return new Taken(
        Long.parseUnsignedLong(r.get(0, String.class)),
        r.get(1, Long.class),
        new LogRecord(
            r.get(2, byte[].class), r.get(3, byte[].class), headers, r.get(6, Long.class)));
  }
}
