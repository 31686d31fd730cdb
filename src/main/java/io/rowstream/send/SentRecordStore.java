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

  /** What a pass sees: whether the nodes poll ({@code send_heat}), and the pending partitions. */
  record Pending(boolean polling, List<PendingPartition> partitions) {}

  /**
   * In one statement: whether to poll (until a second after the heat passed, so that a sender that
   * saw it before it passed, and commits a little later, is still polled for rather than swept),
   * and the distinct partitions of sent_record, by a walk of its primary key (one index probe per
   * partition, however many rows wait), with their topic's name. One row with null partition
   * columns when none waits.
   */
  private static final String PENDING = """
      with recursive p as (
          (select topic_id, partition_id from sent_record order by topic_id, partition_id limit 1)
          union all
          select n.topic_id, n.partition_id from p cross join lateral (
              select s.topic_id, s.partition_id from sent_record s
               where (s.topic_id, s.partition_id) > (p.topic_id, p.partition_id)
               order by s.topic_id, s.partition_id limit 1) n)
      select h.polling, p.topic_id, t.name, p.partition_id
        from (select exists (select 1 from send_heat
                              where hot_until > now() - interval '1 second') as polling) h
        left join (p left join topic t using (topic_id)) on true""";

  /**
   * The partition's row, locked as append_chunks locks it: movers of one partition take turns,
   * and each one's delete sees what the one before it deleted.
   */
  private static final String LOCK_PARTITION =
      "select 1 from topic_partition where topic_id = ? and partition_id = ? for update";

  /**
   * Where a move stops: the last sender transaction among the partition's {@code limit} oldest rows
   * (null when it has none). A move takes whole sender transactions, up to and including this one.
   */
  private static final String CUT = """
      select max(sender_xid)::text from (
          select sender_xid from sent_record where topic_id = ? and partition_id = ?
           order by sender_xid, send_id limit ?) oldest""";

  /**
   * The next piece of a move: the partition's rows after the last one taken, up to the cut, in
   * order, at most {@code rows} of them and {@code bytes} of keys, values and headers (but at least
   * one). Deleted as they are read.
   */
  private static final String PIECE = """
      with piece as (
          select sender_xid, send_id from (
              select sender_xid, send_id, row_number() over w as n,
                     sum(coalesce(octet_length(key), 0) + coalesce(octet_length(value), 0)
                         + coalesce(pg_column_size(headers), 0)) over w as upto
                from (select sender_xid, send_id, key, value, headers from sent_record
                       where topic_id = ? and partition_id = ? and sender_xid <= ?::xid8
                         and (sender_xid, send_id) > (?::xid8, ?)
                       order by sender_xid, send_id limit ?) next
              window w as (order by sender_xid, send_id)) sized
           where n = 1 or upto <= ?)
      delete from sent_record s using piece p
       where s.topic_id = ? and s.partition_id = ?
         and s.sender_xid = p.sender_xid and s.send_id = p.send_id
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

  private final Tx tx;

  SentRecordStore(Tx tx) {
    this.tx = tx;
  }

  Pending pending() {
    boolean polling = false;
    List<PendingPartition> partitions = new ArrayList<>();
    for (Record r : tx.dsl().resultQuery(PENDING).fetch()) {
      polling = r.get(0, Boolean.class);
      if (r.get(1) != null) {
        partitions.add(new PendingPartition(
            r.get(1, Long.class), r.get(2, String.class), r.get(3, Integer.class)));
      }
    }
    return new Pending(polling, partitions);
  }

  void warm() {
    tx.dsl().execute(WARM);
  }

  /** Deletes the rows of a topic that no longer exists. */
  int dropTopic(long topicId) {
    return tx.dsl().execute("delete from sent_record where topic_id = ?", topicId);
  }

  /** Locks the partition's row as append_chunks locks it; false when the partition is gone. */
  boolean lockPartition(long topicId, int partition) {
    return tx.dsl().fetchOptional(LOCK_PARTITION, topicId, partition).isPresent();
  }

  /** The last sender transaction a move of the partition takes (see {@link #CUT}); null: none. */
  String cut(long topicId, int partition, int limit) {
    return tx.dsl().fetchSingle(CUT, topicId, partition, limit).get(0, String.class);
  }

  /**
   * Deletes the next piece of a move and answers it in the log's order: by sender transaction,
   * then call order. Empty when no row remains after {@code after} up to {@code cut}.
   */
  List<Taken> piece(String cut, Taken.Position after, int rows, long bytes, long topicId, int p) {
    List<Taken> taken = new ArrayList<>(tx.dsl()
        .resultQuery(PIECE, topicId, p, cut, after.xid(), after.sendId(), rows, bytes, topicId, p)
        .fetch(SentRecordStore::taken));
    taken.sort(Comparator.comparing((Taken t) -> t.position().xidValue(), Long::compareUnsigned)
        .thenComparingLong(t -> t.position().sendId()));
    return taken;
  }

  /** A row taken: where it stood in the move's order, and the record it becomes. */
  record Taken(Position position, LogRecord record) {
    /** A row's place: its sender transaction id (xid8, as text) and call order. */
    record Position(String xid, long sendId) {
      /** Before every row. */
      static final Position START = new Position("0", 0);

      long xidValue() {
        return Long.parseUnsignedLong(xid);
      }
    }
  }

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
        new Taken.Position(r.get(0, String.class), r.get(1, Long.class)),
        new LogRecord(
            r.get(2, byte[].class), r.get(3, byte[].class), headers, r.get(6, Long.class)));
  }
}
