package io.rowstream.send;

import io.rowstream.background.BackgroundLoop;
import io.rowstream.cluster.LeaderView;
import io.rowstream.db.NotificationListener;
import io.rowstream.db.Notifications;
import io.rowstream.db.Transactions;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.log.AppendResult;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.PartitionLog;
import io.rowstream.logging.LogText;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicCache;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves records sent from SQL ({@code rowstream.send}) into the log: for each partition with
 * committed sent rows not yet moved that this node leads (or that no live node leads), the rows
 * are appended as chunks in the transaction that records them as moved
 * ({@link PartitionLog#appendTaken}, {@link SentRecordTakes}), so each lands exactly once whatever
 * dies when; slots whose rows were all moved are emptied whole ({@link SentRecordSlots}). Runs on
 * a loop of its own at one of two paces: while records keep coming (the {@code send_heat} row,
 * which a node that moved records pushes ahead) it starts a pass every {@link #POLL} (or as soon as
 * the last ended, when that took longer; after a pass that moved many, a pause that grows with
 * them: {@link #busyPause}), and senders do not notify; otherwise it passes every sweep interval
 * and when woken by the notification a sending transaction then sends at its commit (channel
 * {@value #CHANNEL}; a hint: one sent while this node did not listen is missed).
 */
public final class SentRecordMover implements AutoCloseable {
  /** The channel rowstream.send notifies at its transaction's commit. */
  public static final String CHANNEL = "rowstream_send";

  /**
   * Rows one move takes at least: whole sender transactions, up to the last among the partition's
   * oldest this many (a large one moves whole, a piece at a time: {@link SentRecordTake}).
   */
  static final int TAKE = 500;

  /** Topics moved at once in a pass (each holds a pool connection while it moves). */
  static final int PARALLEL_MOVES = 4;

  /**
   * The pace while records keep coming: about what a notification's round trip takes, so a
   * record waits no longer for a poll than it would for a wake-up.
   */
  static final Duration POLL = Duration.ofMillis(5);

  /**
   * A pass that moved at least this many records finds the node busy: the next one starts a pause
   * after it ended, {@link #POLL} for every this many records it moved (up to
   * {@link #MOST_BUSY_PAUSE}), so that under a steady stream passes take more records each and
   * fewer of them share the cores with the senders. A pass pays statements, a chunk per partition
   * and a commit whatever it moves: with single-record senders keeping two cores busy, a pause of
   * {@link #POLL} left passes of about 11 records a partition, and moving a record cost the node's
   * PostgreSQL 62–64 µs and its JVM 62–83 µs; with this pause, 19 and 29, and the senders
   * committed 6,908 records/s instead of 4,299–4,649 (/proc, 2026-12-06). In the bench, senders of
   * single-record transactions committed 0.46–0.47× what a plain INSERT did, against 0.38–0.41×
   * with a pause of {@link #POLL} (bench/RESULTS.md, 2026-12-06). After a smaller pass, the next
   * one starts {@link #POLL} after it started (at once when it took longer), so that a record
   * waits for little more than the pass after its commit; the pause grows with the records a pass
   * moves, not by a step, so a moderate stream does not tip into long pauses.
   */
  static final long BUSY_PASS_RECORDS = 32;

  /** The longest pause after a busy pass: what a record may wait more while the node is busy. */
  static final Duration MOST_BUSY_PAUSE = Duration.ofMillis(50);

  /**
   * How often a node that keeps moving records pushes the heat ahead (two seconds each time, so it
   * never lapses while the node moves): a statement of its own, not one in every pass.
   */
  static final Duration WARM_EVERY = Duration.ofMillis(500);

  /** How often a node tries to empty the next slot of sent_record ({@link SentRecordSlots}). */
  static final Duration EMPTY_EVERY = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(SentRecordMover.class);

  private final Transactions transactions;
  private final TopicCache topics;
  private final PartitionLog log;
  private final LeaderView leaders;
  private final AtomicBoolean wanted = new AtomicBoolean();
  private final Duration sweep;
  private final BackgroundLoop loop;
  private final NotificationListener listener;
  private final SentRecordSlots slots;
  private long lastEmptied = System.nanoTime();
  private long lastWarmed = System.nanoTime() - WARM_EVERY.toNanos();

  /** Starts moving: a pass on every notification, when it starts listening, and every {@code sweep}. */
  public SentRecordMover(
      Transactions transactions,
      Notifications notifications,
      TopicCache topics,
      PartitionLog log,
      LeaderView leaders,
      Duration sweep) {
    this.transactions = transactions;
    this.topics = topics;
    this.log = log;
    this.leaders = leaders;
    this.sweep = sweep;
    this.slots = new SentRecordSlots(transactions);
    this.loop = BackgroundLoop.start("sent-record-mover", sweep, sweep, this::pass);
    this.listener = notifications.listen(CHANNEL, "sent-record-listener", new Wake());
  }

  /** Wakes the loop for a pass, unless one is already asked for and has not started. */
  private void wake() {
    if (wanted.compareAndSet(false, true)) {
      loop.passSoonInstead();
    }
  }

  private final class Wake implements NotificationListener.Handler {
    @Override
    public void listening() {
      wake();
    }

    @Override
    public void received(String payload) {
      wake();
    }

    @Override
    public void lost() {
      // the sweep moves what arrives meanwhile; listening() wakes the loop when it is back
    }
  }

  /**
   * One pass: every topic with sent rows that this node should move, until none remains; up to
   * {@link #PARALLEL_MOVES} topics at once, each in transactions of its own that move all of its
   * partitions this node should move. At most once a second, it empties the next slot when all of
   * its rows were moved; at most every {@link #WARM_EVERY}, after a pass that moved records, it pushes
   * the heat ahead. Answers the delay before the next while records keep coming (this node moved
   * some, or another says it did): what is left of {@link #POLL} since this pass started when it
   * moved fewer than {@link #BUSY_PASS_RECORDS}, else {@link #busyPause}; else the sweep interval.
   */
  private Duration pass() {
    long started = System.nanoTime();
    wanted.set(false);
    SentRecordStore store = new SentRecordStore(transactions.autocommit());
    SentRecordStore.Pending pending = store.pending();
    long movedRecords = moveAll(pending.partitions());
    boolean moved = movedRecords > 0;
    if (moved && System.nanoTime() - lastWarmed >= WARM_EVERY.toNanos()) {
      lastWarmed = System.nanoTime();
      store.warm();
    }
    long now = System.nanoTime();
    if (now - lastEmptied >= EMPTY_EVERY.toNanos()) {
      lastEmptied = now;
      emptyNextSlot();
    }
    if (!moved && !pending.polling()) {
      return sweep;
    }
    if (movedRecords >= BUSY_PASS_RECORDS) {
      return busyPause(movedRecords);
    }
    return Duration.ofNanos(Math.max(0, POLL.toNanos() - (System.nanoTime() - started)));
  }

  /**
   * The pause after a pass that moved {@code movedRecords} (at least {@link #BUSY_PASS_RECORDS}):
   * {@link #POLL} for every {@link #BUSY_PASS_RECORDS} of them, at most {@link #MOST_BUSY_PAUSE}.
   */
  static Duration busyPause(long movedRecords) {
    return Duration.ofNanos(
        Math.min(MOST_BUSY_PAUSE.toNanos(), POLL.toNanos() * movedRecords / BUSY_PASS_RECORDS));
  }

  /**
   * Empties the next slot if it can and, when it did (every ten seconds or so while records are
   * sent), forgets the progress of partitions whose topic was deleted; a failure waits for the next
   * attempt, moves go on.
   */
  private void emptyNextSlot() {
    try {
      if (slots.emptyNext()) {
        int forgotten = new SentRecordStore(transactions.autocommit()).forgetDeletedPartitions();
        if (forgotten > 0) {
          LOG.debug("forgot the sent-record progress of deleted partitions count={}", forgotten);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("emptying a sent-record slot failed error={}", LogText.of(e.getMessage()));
    }
  }

  /** Moves every partition this node should, a topic per transaction; the records it moved. */
  private long moveAll(List<SentRecordStore.PendingPartition> pending) {
    Map<Long, SortedSet<Integer>> byTopic = new LinkedHashMap<>();
    Map<Long, String> names = new HashMap<>();
    for (SentRecordStore.PendingPartition p : pending) {
      if (leaders.leaderElsewhere(new PartitionKey(p.topicId(), p.partition())).isPresent()) {
        continue; // its leader moves it
      }
      byTopic.computeIfAbsent(p.topicId(), t -> new TreeSet<>()).add(p.partition());
      names.put(p.topicId(), p.topicName());
    }
    AtomicLong moved = new AtomicLong();
    Semaphore running = new Semaphore(PARALLEL_MOVES);
    try (ExecutorService moves = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Map.Entry<Long, SortedSet<Integer>> e : byTopic.entrySet()) {
        String name = names.get(e.getKey());
        running.acquireUninterruptibly();
        moves.submit(() -> {
          try {
            topicOf(e.getKey(), name, e.getValue().last())
                .ifPresent(topic -> moved.addAndGet(move(topic, e.getValue())));
          } catch (BrokerException ex) {
            // This topic waits for the next pass; the others move now.
            LOG.warn(
                "moving sent records failed topic={} partitions={} error={}",
                LogText.of(name),
                e.getValue(),
                LogText.of(ex.getMessage()));
          } finally {
            running.release();
          }
        });
      }
    } // closing waits for every move of the pass
    return moved.get();
  }

  /**
   * Moves the partitions' rows in one transaction ({@link SentRecordTakes}), again for those whose
   * take left the rest of a batch until none has; the records moved. Rows that arrive meanwhile wait for the
   * next pass (a few milliseconds while records keep coming).
   */
  private long move(Topic topic, SortedSet<Integer> partitions) {
    long records = 0;
    SortedSet<Integer> left = partitions;
    while (!left.isEmpty()) {
      SentRecordTakes move = new SentRecordTakes(topic.id(), left);
      for (AppendResult appended : log.appendTaken(topic, move.byPartition())) {
        records += appended.lastOffset() - appended.baseOffset() + 1;
      }
      left = new TreeSet<>();
      for (Map.Entry<Integer, SentRecordTake> e : move.takes().entrySet()) {
        if (e.getValue().batchGoesOn()) {
          left.add(e.getKey());
        }
      }
    }
    return records;
  }

  /**
   * The topic the rows were sent to, as it is now, known to have the partitions (up to
   * {@code highest}); empty when it was deleted meanwhile.
   */
  private Optional<Topic> topicOf(long topicId, String name, int highest) {
    try {
      Topic topic = topics.requirePartition(name, highest);
      if (topic.id() != topicId) {
        topics.invalidate(name);
        topic = topics.requirePartition(name, highest);
      }
      return topic.id() == topicId ? Optional.of(topic) : Optional.empty();
    } catch (BrokerException e) {
      if (e.error() == BrokerError.TOPIC_NOT_FOUND
          || e.error() == BrokerError.PARTITION_NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void close() {
    listener.close();
    loop.close();
  }
}
