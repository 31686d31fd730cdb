package io.rowstream.bench;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Commit → received for records sent from SQL (bench/sql-send.sh): single-record transactions
 * ({@code select rowstream.send(topic, value)}, then commit) on an open-loop schedule over a pool
 * of connections, and a Kafka consumer on every partition of the topic, in the same process, so
 * that one clock times the send call, the return of its commit and the receipt of each record.
 *
 * <p>Each value is the record's index (8 bytes) and padding. It reports, in ms:
 *
 * <ul>
 *   <li>commit → received: from the moment the application's commit returned (the record is then
 *       committed, and the application knows it). A record received before its commit's answer
 *       reached the sender counts 0; how many did is reported.
 *   <li>call → received: from the start of the send call, which adds the call and the sender's own
 *       commit (what the earlier pgbench-based figure measured);
 *   <li>the sender's commit alone, and appended → received (the topic's LogAppendTime, ms).
 * </ul>
 *
 * <p>{@code java -cp rowstream.jar io.rowstream.bench.SentRecordLatency JDBC_URL USER PASSWORD
 * BOOTSTRAP TOPIC PARTITIONS RATE SECONDS WARMUP_SECONDS CONNECTIONS [PGOPTIONS]}
 */
public final class SentRecordLatency {
  private static final int VALUE_BYTES = 1024;

  private final long[] callStart;
  private final long[] commitEnd;
  private final long[] received;
  private final long[] appendedMillis;
  private final long[] receivedMillis;
  private final AtomicLong failures = new AtomicLong();
  /** Records received again (the receiver's own count; read once it has ended). */
  private long duplicates;

  private SentRecordLatency(int total) {
    callStart = new long[total];
    commitEnd = new long[total];
    received = new long[total];
    appendedMillis = new long[total];
    receivedMillis = new long[total];
  }

  public static void main(String[] args) throws Exception {
    String jdbcUrl = args[0];
    Properties login = new Properties();
    login.setProperty("user", args[1]);
    login.setProperty("password", args[2]);
    if (args.length > 10 && !args[10].isBlank()) {
      login.setProperty("options", args[10]);
    }
    String bootstrap = args[3];
    String topic = args[4];
    int partitions = Integer.parseInt(args[5]);
    int rate = Integer.parseInt(args[6]);
    int seconds = Integer.parseInt(args[7]);
    int warmupSeconds = Integer.parseInt(args[8]);
    int connections = Integer.parseInt(args[9]);
    OpenLoop schedule = new OpenLoop(1_000_000_000L / rate, (long) rate * warmupSeconds,
        (long) rate * (warmupSeconds + seconds));
    SentRecordLatency run = new SentRecordLatency(Math.toIntExact(schedule.total()));
    run.measure(schedule, jdbcUrl, login, bootstrap, topic, partitions, connections);
    run.report(schedule);
  }

  private void measure(OpenLoop schedule, String jdbcUrl, Properties login, String bootstrap,
      String topic, int partitions, int connections) throws Exception {
    List<Connection> pool = new CopyOnWriteArrayList<>();
    ThreadLocal<PreparedStatement> sends = ThreadLocal.withInitial(() -> {
      try {
        Connection c = DriverManager.getConnection(jdbcUrl, login);
        c.setAutoCommit(false);
        pool.add(c);
        return c.prepareStatement("select rowstream.send(?, ?)");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    ExecutorService senders = Executors.newFixedThreadPool(connections);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
      List<TopicPartition> all = IntStream.range(0, partitions)
          .mapToObj(p -> new TopicPartition(topic, p))
          .toList();
      consumer.assign(all);
      consumer.seekToEnd(all);
      all.forEach(consumer::position); // from the end as it is now
      Thread receiver = Thread.ofPlatform().name("receiver").start(() -> receive(consumer, schedule));
      schedule.run(senders, index -> send(sends.get(), topic, (int) index));
      senders.shutdown();
      senders.awaitTermination(1, TimeUnit.MINUTES);
      receiver.join(Duration.ofSeconds(30));
      receiver.interrupt();
      receiver.join();
    } finally {
      senders.shutdownNow();
      for (Connection c : pool) {
        c.close();
      }
    }
  }

  private void send(PreparedStatement send, String topic, int index) throws SQLException {
    byte[] value = new byte[VALUE_BYTES];
    ByteBuffer.wrap(value).putLong(index);
    Arrays.fill(value, Long.BYTES, VALUE_BYTES, (byte) 'x');
    callStart[index] = System.nanoTime();
    try {
      send.setString(1, topic);
      send.setBytes(2, value);
      send.executeQuery().close();
      send.getConnection().commit();
      commitEnd[index] = System.nanoTime();
    } catch (SQLException e) {
      failures.incrementAndGet();
      send.getConnection().rollback();
      throw e;
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
    return new KafkaConsumer<>(props);
  }

  /** Receives until every scheduled record came, or until interrupted. */
  private void receive(KafkaConsumer<byte[], byte[]> consumer, OpenLoop schedule) {
    long count = 0;
    while (count < schedule.total() && !Thread.currentThread().isInterrupted()) {
      ConsumerRecords<byte[], byte[]> records;
      try {
        records = consumer.poll(Duration.ofMillis(200));
      } catch (InterruptException e) {
        return; // the senders are done and the wait for the rest is over
      }
      for (ConsumerRecord<byte[], byte[]> r : records) {
        long now = System.nanoTime();
        int index = (int) ByteBuffer.wrap(r.value()).getLong();
        if (index < 0 || index >= received.length) {
          continue; // not this run's
        }
        if (received[index] != 0) {
          duplicates++;
          continue;
        }
        received[index] = now;
        if (r.timestampType() == TimestampType.LOG_APPEND_TIME) {
          appendedMillis[index] = r.timestamp();
          receivedMillis[index] = System.currentTimeMillis();
        }
        count++;
      }
    }
  }

  private void report(OpenLoop schedule) {
    Histogram fromCommit = histogram();
    Histogram fromCall = histogram();
    Histogram commit = histogram();
    Histogram fromAppend = histogram();
    long early = 0;
    long missing = 0;
    for (long i = schedule.warmup(); i < schedule.total(); i++) {
      int n = (int) i;
      if (commitEnd[n] == 0) {
        continue; // failed: counted in failures
      }
      if (received[n] == 0) {
        missing++;
        continue;
      }
      long sinceCommit = received[n] - commitEnd[n];
      if (sinceCommit < 0) {
        early++;
      }
      fromCommit.recordValue(Math.max(0, sinceCommit) / 1000);
      fromCall.recordValue((received[n] - callStart[n]) / 1000);
      commit.recordValue((commitEnd[n] - callStart[n]) / 1000);
      if (appendedMillis[n] != 0) {
        fromAppend.recordValue(Math.max(0, receivedMillis[n] - appendedMillis[n]) * 1000);
      }
    }
    System.out.printf("%d records, %d not received, %d received twice or more, %d failed sends,"
        + " %d received before their commit returned%n",
        fromCommit.getTotalCount(), missing, duplicates, failures.get(), early);
    print("commit -> received", fromCommit);
    print("call -> received", fromCall);
    print("call -> commit returned", commit);
    if (fromAppend.getTotalCount() > 0) {
      print("appended -> received", fromAppend);
    }
  }

  private static Histogram histogram() {
    return new Histogram(60_000_000L, 3);
  }

  private static void print(String what, Histogram micros) {
    System.out.printf("%s ms: p50 %.1f  p99 %.1f  max %.1f%n", what,
        micros.getValueAtPercentile(50) / 1000.0,
        micros.getValueAtPercentile(99) / 1000.0,
        micros.getMaxValue() / 1000.0);
  }
}
