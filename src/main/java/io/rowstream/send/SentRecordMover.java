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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves records sent from SQL ({@code rowstream.send}) into the log: for each partition with
 * committed sent rows that this node leads (or that no live node leads), the oldest rows are
 * deleted and appended as chunks in one transaction ({@link PartitionLog#appendTaken}), so each
 * lands exactly once whatever dies when. Runs on a loop of its own at one of two paces: while
 * records keep coming (the {@code send_heat} row, which a node that moved records pushes ahead)
 * it polls every {@link #POLL}, and senders do not notify; otherwise it passes every sweep
 * interval and when woken by the notification a sending transaction then sends at its commit
 * (channel {@value #CHANNEL}; a hint: one sent while this node did not listen is missed).
 */
public final class SentRecordMover implements AutoCloseable {
  /** The channel rowstream.send notifies at its transaction's commit. */
  public static final String CHANNEL = "rowstream_send";

  /**
   * Rows one move takes at least: whole sender transactions, up to the last among the partition's
   * oldest this many (a large one moves whole, a piece at a time: {@link SentRecordTake}).
   */
  static final int TAKE = 500;

  /** Partitions moved at once in a pass (each holds a pool connection while it moves). */
  static final int PARALLEL_MOVES = 4;

  /**
   * The pace while records keep coming: about what a notification's round trip takes, so a
   * record waits no longer for a poll than it would for a wake-up.
   */
  static final Duration POLL = Duration.ofMillis(5);

  private static final Logger LOG = LoggerFactory.getLogger(SentRecordMover.class);

  private final Transactions transactions;
  private final TopicCache topics;
  private final PartitionLog log;
  private final LeaderView leaders;
  private final AtomicBoolean wanted = new AtomicBoolean();
  private final Duration sweep;
  private final BackgroundLoop loop;
  private final NotificationListener listener;

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
   * One pass: every partition with sent rows that this node should move, until it has none; up to
   * {@link #PARALLEL_MOVES} partitions at once (each move commits on its own: one after another,
   * the partitions' commits added up to the delay of the last). Answers the delay before the next:
   * {@link #POLL} while records keep coming (this node moved some, or another says it did), else
   * the sweep interval.
   */
  private Duration pass() {
    wanted.set(false);
    SentRecordStore store = new SentRecordStore(transactions.autocommit());
    SentRecordStore.Pending pending = store.pending();
    if (moveAll(store, pending.partitions())) {
      store.warm();
      return POLL;
    }
    return pending.polling() ? POLL : sweep;
  }

  /** Moves every partition this node should; whether anything moved. */
  private boolean moveAll(SentRecordStore store, List<SentRecordStore.PendingPartition> pending) {
    AtomicBoolean moved = new AtomicBoolean();
    Semaphore slots = new Semaphore(PARALLEL_MOVES);
    try (ExecutorService moves = Executors.newVirtualThreadPerTaskExecutor()) {
      for (SentRecordStore.PendingPartition p : pending) {
        if (p.topicName() == null) {
          int dropped = store.dropTopic(p.topicId());
          LOG.info(
              "dropped records sent to a deleted topic topicId={} records={}",
              p.topicId(),
              dropped);
          continue;
        }
        if (leaders
            .leaderElsewhere(new PartitionKey(p.topicId(), p.partition()))
            .isPresent()) {
          continue; // its leader moves it
        }
        slots.acquireUninterruptibly();
        moves.submit(() -> {
          try {
            topicOf(p).ifPresent(topic -> {
              if (move(topic, p.partition())) {
                moved.set(true);
              }
            });
          } catch (BrokerException e) {
            // This partition waits for the next pass; the others move now.
            LOG.warn(
                "moving sent records failed topic={} partition={} error={}",
                LogText.of(p.topicName()),
                p.partition(),
                LogText.of(e.getMessage()));
          } finally {
            slots.release();
          }
        });
      }
    } // closing waits for every move of the pass
    return moved.get();
  }

  /** Moves the partition's rows, a take at a time, until a take finds none; whether any moved. */
  private boolean move(Topic topic, int partition) {
    boolean any = false;
    Optional<AppendResult> moved;
    do {
      moved = log.appendTaken(topic, partition, new SentRecordTake(topic.id(), partition));
      any |= moved.isPresent();
    } while (moved.isPresent());
    return any;
  }

  /** The topic the rows were sent to, as it is now; empty when it was deleted meanwhile. */
  private Optional<Topic> topicOf(SentRecordStore.PendingPartition p) {
    try {
      Topic topic = topics.requirePartition(p.topicName(), p.partition());
      if (topic.id() != p.topicId()) {
        topics.invalidate(p.topicName());
        topic = topics.requirePartition(p.topicName(), p.partition());
      }
      return topic.id() == p.topicId() ? Optional.of(topic) : Optional.empty();
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
