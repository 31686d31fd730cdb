package io.rowstream.send;

import io.rowstream.db.Tx;
import io.rowstream.log.LogRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;

/**
 * The SQL of {@code sent_record} and {@code sent_progress} (migrations/V36), the rows
 * {@code rowstream.send} inserts (sql/R__send_functions.sql) and which of them were moved: which
 * partitions have rows to move, a move's take of a partition's rows in the transaction that
 * appends them, and emptying a slot whose rows were all moved; and of {@code send_heat}
 * (migrations/V35), whether the nodes poll for them.
 */
final class SentRecordStore {
  /** A partition with sent rows to move. */
  record PendingPartition(long topicId, String topicName, int partition) {}

  /** What a pass sees: whether the nodes poll ({@code send_heat}), and the pending partitions. */
  record Pending(boolean polling, List<PendingPartition> partitions) {}

  /**
   * A partition's progress, locked: every sender transaction finished in {@code moved} was moved,
   * and, while a batch moves in several transactions, those finished in {@code batch} up to
   * {@code batchXid} (snapshots and ids as PostgreSQL writes them); {@code now}, the database's
   * snapshot when it was read.
   */
  record Progress(String moved, String batch, String batchXid, String now) {
    /** The snapshot a move takes up to: the batch's while one is under way, else now's. */
    String upTo() {
      return batch != null ? batch : now;
    }
  }

  /**
   * Rows of a partition that a move may take: not moved, from the last move's snapshot's xmin on
   * (an index range), and, during a batch, after the batch's last transaction moved (those up to it
   * that finished in the batch's snapshot are moved, the others finished after it: without this
   * bound each move of a large batch would read again the rows the ones before it moved).
   * Parameters: topic, partition, then the progress's columns (see {@link #args}).
   */
  private static final String TAKEABLE = """
      s.topic_id = ? and s.partition_id = ?
      and s.sender_xid >= coalesce(pg_snapshot_xmin(?::pg_snapshot), '0'::xid8)
      and not sent_record_moved(s.sender_xid, ?::pg_snapshot, ?::pg_snapshot, ?::xid8)
      and s.sender_xid > coalesce(?::xid8, '0'::xid8)""";

  /**
   * In one statement: whether to poll (until a second after the heat passed, so that a sender that
   * saw it before it passed, and commits a little later, is still polled for rather than swept),
   * and the partitions of existing topics with rows to move, found by a walk of sent_record's
   * index (sent_record_partition: one probe per partition with rows), each checked from its last move's xmin on (a
   * lateral probe: as a semi-join the planner would read the whole table); during a batch, after
   * the batch's last transaction moved first, then before it from the batch snapshot's xmin (rows
   * that finished after the batch's snapshot), so as not to read the rows the batch moved. One row
   * with null partition columns when none waits.
   */
  private static final String PENDING = """
      select h.polling, q.topic_id, q.name, q.partition_id
        from (select exists (select 1 from send_heat
                              where hot_until > now() - interval '1 second') as polling) h
        left join (
            select p.topic_id, t.name, p.partition_id from sent_record_partition p
              join topic t using (topic_id)
              left join sent_progress g using (topic_id, partition_id)
             cross join lateral (
                 (select 1 from sent_record s
                   where s.topic_id = p.topic_id and s.partition_id = p.partition_id
                     and s.sender_xid >= coalesce(pg_snapshot_xmin(g.moved_snapshot), '0'::xid8)
                     and s.sender_xid > coalesce(g.batch_xid, '0'::xid8)
                     and not sent_record_moved(
                         s.sender_xid, g.moved_snapshot, g.batch_snapshot, g.batch_xid)
                   limit 1)
                 union all
                 (select 1 from sent_record s
                   where s.topic_id = p.topic_id and s.partition_id = p.partition_id
                     and s.sender_xid >= greatest(pg_snapshot_xmin(g.moved_snapshot),
                                                  pg_snapshot_xmin(g.batch_snapshot))
                     and s.sender_xid <= g.batch_xid
                     and not sent_record_moved(
                         s.sender_xid, g.moved_snapshot, g.batch_snapshot, g.batch_xid)
                   limit 1)
                 limit 1) w) q
          on true""";

  /** Whether a batch has rows after a move's cut (then the batch goes on in the next move). */
  private static final String MORE = """
      select exists (select 1 from sent_record s
                      where %s
                        and s.sender_xid > ?::xid8
                        and s.sender_xid < pg_snapshot_xmax(?::pg_snapshot)
                        and pg_visible_in_snapshot(s.sender_xid, ?::pg_snapshot))""".formatted(TAKEABLE);

  /**
   * The progress of a topic's partitions, locked in partition order, and the statement's snapshot.
   * When a lock was waited for, that snapshot may be older than the row returned: a move up to it
   * then finds only rows the mover before it moved (none), as what a snapshot sees only grows.
   */
  private static final String LOCK_ALL = """
      select partition_id, moved_snapshot::text, batch_snapshot::text, batch_xid::text,
             pg_current_snapshot()::text
        from sent_progress where topic_id = ? and partition_id = any(?::int[])
       order by partition_id for update""";

  /** A partition's first progress: a snapshot in which no transaction has finished. */
  private static final String START_ALL = """
      insert into sent_progress (topic_id, partition_id, moved_snapshot)
      select ?, p, '1:1:' from unnest(?::int[]) p
      on conflict (topic_id, partition_id) do nothing""";

  /**
   * The next piece of a move of each of a topic's partitions, in one statement (a lateral per
   * partition, its progress, cut and start as columns): rows it may take after its start (see
   * {@link #start}), up to the cut (null: no bound yet), in order, at most {@code rows} of them and
   * {@code bytes} of keys, values and headers (but at least one); each with the count of rows
   * found before the byte bound (fewer than {@code rows}: none is left after them). The start is
   * the scan's only lower bound: beside a row comparison, a second bound on sender_xid left the
   * index scan starting at the row comparison's, the partition's first row in the slot, and reading
   * every moved row of the slot in each move (hundreds of buffers a statement, growing with the
   * slot).
   */
  private static final String PIECES = """
      select q.partition_id, r.sender_xid::text, r.send_id, r.key, r.value, r.names, r.vals, r.ts,
             r.found
        from unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                    ?::bigint[])
               as q(partition_id, moved, batch, batch_xid, up_to, cut, start_xid, start_id)
       cross join lateral (
           select sender_xid, send_id, key, value,
                  (select array_agg(h.key order by h.n) from jsonb_each_text(headers) with ordinality h(key, value, n)) as names,
                  (select array_agg(h.value order by h.n) from jsonb_each_text(headers) with ordinality h(key, value, n)) as vals,
                  coalesce(timestamp_ms, floor(extract(epoch from sent_at) * 1000)::bigint) as ts,
                  found
             from (
                 select next.*, row_number() over w as n, count(*) over () as found,
                        sum(coalesce(octet_length(key), 0) + coalesce(octet_length(value), 0)
                            + coalesce(pg_column_size(headers), 0)) over w as upto
                   from (select s.* from sent_record s
                          where s.topic_id = ? and s.partition_id = q.partition_id
                            and (s.sender_xid, s.send_id) > (q.start_xid::xid8, q.start_id)
                            and not sent_record_moved(s.sender_xid, q.moved::pg_snapshot,
                                                      q.batch::pg_snapshot, q.batch_xid::xid8)
                            and s.sender_xid < pg_snapshot_xmax(q.up_to::pg_snapshot)
                            and pg_visible_in_snapshot(s.sender_xid, q.up_to::pg_snapshot)
                            and (q.cut is null or s.sender_xid <= q.cut::xid8)
                          order by s.sender_xid, s.send_id limit ?) next
                 window w as (order by sender_xid, send_id)) sized
            where n = 1 or upto <= ?) r
       order by q.partition_id, r.sender_xid, r.send_id""";

  /** What a topic's move moved, per partition, in one statement. */
  private static final String RECORD_ALL = """
      update sent_progress g
         set moved_snapshot = v.moved::pg_snapshot, batch_snapshot = v.batch::pg_snapshot,
             batch_xid = v.batch_xid::xid8
        from unnest(?::int[], ?::text[], ?::text[], ?::text[]) v(partition_id, moved, batch, batch_xid)
       where g.topic_id = ? and g.partition_id = v.partition_id""";

  /**
   * Whether a slot holds rows of an existing topic that are not moved: a walk of the slot's index
   * (one probe per partition with rows), each partition checked from its last move's xmin on.
   */
  private static final String SLOT_UNMOVED = """
      with recursive p as (
          (select topic_id, partition_id from sent_record_%1$d order by topic_id, partition_id limit 1)
          union all
          select n.topic_id, n.partition_id from p cross join lateral (
              select s.topic_id, s.partition_id from sent_record_%1$d s
               where (s.topic_id, s.partition_id) > (p.topic_id, p.partition_id)
               order by s.topic_id, s.partition_id limit 1) n)
      select exists (
          select 1 from p
            join topic t using (topic_id)
            left join sent_progress g using (topic_id, partition_id)
           cross join lateral (
               select 1 from sent_record_%1$d s
                where s.topic_id = p.topic_id and s.partition_id = p.partition_id
                  and s.sender_xid >= coalesce(pg_snapshot_xmin(g.moved_snapshot), '0'::xid8)
                  and not sent_record_moved(
                      s.sender_xid, g.moved_snapshot, g.batch_snapshot, g.batch_xid)
                limit 1) w)""";

  /**
   * Pushes the heat about two seconds ahead, once a second at most: the nodes poll, and senders
   * do not notify, until it passes.
   */
  private static final String WARM = """
      insert into send_heat (hot_until) values (now() + interval '2 seconds')
      on conflict (singleton) do update set hot_until = excluded.hot_until
       where send_heat.hot_until < now() + interval '1 second'""";

  /**
   * The progress of partitions that no longer exist (their topic was deleted), which nothing reads
   * again. Not a foreign key with a cascade, as other per-partition rows have: a mover locks its
   * progress rows before append_chunks locks the partition's row, and a cascade from a topic's
   * deletion would lock them the other way round.
   */
  private static final String FORGET_DELETED = """
      delete from sent_progress g
       where not exists (select 1 from topic_partition p
                          where p.topic_id = g.topic_id and p.partition_id = g.partition_id)""";

  /** PostgreSQL's lock_not_available: a table in use (NOWAIT). */
  private static final String LOCK_NOT_AVAILABLE = "55P03";

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

  /**
   * Locks the progress of a topic's partitions (movers of one partition take turns), in partition
   * order, made first where none, with the database's snapshot: the sender transactions finished in
   * it may be moved.
   */
  SortedMap<Integer, Progress> lockProgress(long topicId, Integer[] partitions) {
    SortedMap<Integer, Progress> locked = lockAll(topicId, partitions);
    if (locked.size() < partitions.length) {
      tx.dsl().execute(START_ALL, topicId, partitions);
      locked = lockAll(topicId, partitions);
    }
    return locked;
  }

  private SortedMap<Integer, Progress> lockAll(long topicId, Integer[] partitions) {
    SortedMap<Integer, Progress> locked = new TreeMap<>();
    for (Record r : tx.dsl().resultQuery(LOCK_ALL, topicId, partitions).fetch()) {
      locked.put(
          r.get(0, Integer.class),
          new Progress(
              r.get(1, String.class),
              r.get(2, String.class),
              r.get(3, String.class),
              r.get(4, String.class)));
    }
    return locked;
  }

  /**
   * The first piece of a move of each partition (see {@link #piece}), in one statement: at most
   * {@code rows} rows and {@code bytes} bytes each (but at least one row).
   */
  Map<Integer, Piece> firstPieces(
      long topicId, SortedMap<Integer, Progress> progress, int rows, long bytes) {
    List<PieceAsk> asks = new ArrayList<>();
    progress.forEach((p, at) -> asks.add(new PieceAsk(p, at, null, Taken.Position.START)));
    return pieces(topicId, asks, rows, bytes);
  }

  /**
   * The next piece of a move up to its snapshot and {@code cut} (null: no bound yet), after
   * {@code after}, in the log's order: by sender transaction, then call order.
   */
  Piece piece(
      long topicId,
      int partition,
      Progress progress,
      String cut,
      Taken.Position after,
      int rows,
      long bytes) {
    return pieces(topicId, List.of(new PieceAsk(partition, progress, cut, after)), rows, bytes)
        .get(partition);
  }

  /**
   * The position a piece of a move reads after: the latest of the last row taken ({@code after}),
   * the moved snapshot's xmin (every sender transaction below it had finished, so was moved) and,
   * during a batch, the batch's last moved transaction. Send ids come from a sequence (1 and up),
   * so a row after (x, min) is one of transaction x or later, and one after (x, max) of a later
   * one.
   */
  static Taken.Position start(Progress progress, Taken.Position after) {
    Taken.Position start = after;
    String xmin = progress.moved().substring(0, progress.moved().indexOf(':'));
    start = later(start, new Taken.Position(xmin, Long.MIN_VALUE));
    if (progress.batchXid() != null) {
      start = later(start, new Taken.Position(progress.batchXid(), Long.MAX_VALUE));
    }
    return start;
  }

  private static Taken.Position later(Taken.Position a, Taken.Position b) {
    int byXid =
        Long.compareUnsigned(Long.parseUnsignedLong(a.xid()), Long.parseUnsignedLong(b.xid()));
    return byXid > 0 || (byXid == 0 && a.sendId() >= b.sendId()) ? a : b;
  }

  /** What {@link #PIECES} reads of one partition: after {@code after}, up to {@code cut}. */
  private record PieceAsk(int partition, Progress progress, String cut, Taken.Position after) {}

  private Map<Integer, Piece> pieces(long topicId, List<PieceAsk> asks, int rows, long bytes) {
    int n = asks.size();
    Integer[] partitions = new Integer[n];
    String[] moved = new String[n];
    String[] batch = new String[n];
    String[] batchXid = new String[n];
    String[] upTo = new String[n];
    String[] cuts = new String[n];
    String[] startXid = new String[n];
    Long[] startId = new Long[n];
    for (int i = 0; i < n; i++) {
      PieceAsk a = asks.get(i);
      partitions[i] = a.partition();
      moved[i] = a.progress().moved();
      batch[i] = a.progress().batch();
      batchXid[i] = a.progress().batchXid();
      upTo[i] = a.progress().upTo();
      cuts[i] = a.cut();
      Taken.Position start = start(a.progress(), a.after());
      startXid[i] = start.xid();
      startId[i] = start.sendId();
    }
    Map<Integer, List<Taken>> taken = new HashMap<>();
    Map<Integer, Long> found = new HashMap<>();
    for (Record r : tx.dsl()
        .resultQuery(
            PIECES,
            partitions,
            moved,
            batch,
            batchXid,
            upTo,
            cuts,
            startXid,
            startId,
            topicId,
            rows,
            bytes)
        .fetch()) {
      int partition = r.get(0, Integer.class);
      taken.computeIfAbsent(partition, k -> new ArrayList<>()).add(taken(r));
      found.put(partition, r.get(8, Long.class));
    }
    Map<Integer, Piece> pieces = new HashMap<>();
    for (int partition : partitions) {
      List<Taken> piece = taken.getOrDefault(partition, List.of());
      long f = found.getOrDefault(partition, 0L);
      // Rows may remain after the piece: it met its row bound, or its byte bound left some out.
      pieces.put(partition, new Piece(piece, f >= rows || piece.size() < f));
    }
    return pieces;
  }

  /**
   * Records what a topic's move moved: per partition, its new moved snapshot and batch (null:
   * none); partitions not named keep theirs.
   */
  void record(long topicId, SortedMap<Integer, Progress> moved) {
    if (moved.isEmpty()) {
      return;
    }
    int n = moved.size();
    Integer[] partitions = moved.keySet().toArray(Integer[]::new);
    String[] snapshots = new String[n];
    String[] batch = new String[n];
    String[] batchXid = new String[n];
    int i = 0;
    for (Progress p : moved.values()) {
      snapshots[i] = p.moved();
      batch[i] = p.batch();
      batchXid[i] = p.batchXid();
      i++;
    }
    tx.dsl().execute(RECORD_ALL, partitions, snapshots, batch, batchXid, topicId);
  }

  /** Whether rows up to the move's snapshot remain after {@code cut}. */
  boolean more(long topicId, int partition, Progress progress, String cut) {
    String upTo = progress.upTo();
    return tx.dsl()
        .fetchSingle(MORE, args(topicId, partition, progress, cut, upTo, upTo))
        .get(0, Boolean.class);
  }

  /** A piece of a move, empty when no row remains; {@code more}: rows may remain after it. */
  record Piece(List<Taken> rows, boolean more) {}

  /** Whether slot {@code slot} holds rows of an existing topic not yet moved. */
  boolean slotHasUnmoved(int slot) {
    return tx.dsl().fetchSingle(SLOT_UNMOVED.formatted(slot)).get(0, Boolean.class);
  }

  /** Whether slot {@code slot} holds any row. */
  boolean slotHasRows(int slot) {
    return tx.dsl()
        .fetchSingle("select exists (select 1 from sent_record_%d)".formatted(slot))
        .get(0, Boolean.class);
  }

  /** The slot after the one sends write into now: the one to empty. */
  int nextSlot() {
    return tx.dsl()
        .fetchSingle("select ((sent_record_slot(now()) + 1) % 3)::integer")
        .get(0, Integer.class);
  }

  /**
   * Takes the slot's table for this transaction, unless anyone holds it (a sender writing in it, a
   * mover reading it): whether it got it. When not, the transaction is aborted (roll it back).
   */
  boolean lockSlot(int slot) {
    try {
      tx.dsl().execute("lock table sent_record_%d in access exclusive mode nowait".formatted(slot));
      return true;
    } catch (DataAccessException e) {
      if (LOCK_NOT_AVAILABLE.equals(e.sqlState())) {
        return false;
      }
      throw e;
    }
  }

  void truncateSlot(int slot) {
    tx.dsl().execute("truncate sent_record_%d".formatted(slot));
  }

  /** Deletes the progress of partitions that no longer exist; how many rows it deleted. */
  int forgetDeletedPartitions() {
    return tx.dsl().execute(FORGET_DELETED);
  }

  /** The parameters of {@link #TAKEABLE} followed by {@code more}. */
  private static Object[] args(long topicId, int partition, Progress progress, Object... more) {
    Object[] all = new Object[7 + more.length];
    all[0] = topicId;
    all[1] = partition;
    all[2] = progress.moved();
    all[3] = progress.moved();
    all[4] = progress.batch();
    all[5] = progress.batchXid();
    all[6] = progress.batchXid();
    System.arraycopy(more, 0, all, 7, more.length);
    return all;
  }

  /** A row taken: where it stood in the move's order, and the record it becomes. */
  record Taken(Position position, LogRecord record) {
    /** A row's place: its sender transaction id (xid8, as text) and call order. */
    record Position(String xid, long sendId) {
      /** Before every row. */
      static final Position START = new Position("0", 0);
    }
  }

  /** A row of {@link #PIECES}: its partition, then xid, send id, key, value, headers, time. */
  private static Taken taken(Record r) {
    int from = 1;
    String[] names = r.get(from + 4, String[].class);
    String[] values = r.get(from + 5, String[].class);
    List<LogRecord.Header> headers = new ArrayList<>(names == null ? 0 : names.length);
    for (int i = 0; names != null && i < names.length; i++) {
      headers.add(new LogRecord.Header(
          names[i], values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8)));
    }
    return new Taken(
        new Taken.Position(r.get(from, String.class), r.get(from + 1, Long.class)),
        new LogRecord(
            r.get(from + 2, byte[].class),
            r.get(from + 3, byte[].class),
            headers,
            r.get(from + 6, Long.class)));
  }
}
