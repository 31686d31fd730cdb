package io.rowstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * End-to-end latency at a fixed rate: records are sent one per request on an open-loop schedule;
 * a long-polling reader on the same partition measures the time from each request being sent to
 * its record being received (the send instant travels in the record's first 8 bytes).
 */
final class EndToEndLatency {
  /**
   * A diagnostic, off by default: with {@code -Drowstream.bench.slowAckMs=N} every acknowledgement
   * that took N ms or more is printed with its wall-clock time, to line it up with the node's and
   * the database's logs.
   */
  private static final long SLOW_ACK_MICROS = Long.getLong("rowstream.bench.slowAckMs", 0) * 1000;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private EndToEndLatency() {}

  /** Send → receive, and send → acknowledgement of the same requests (the produce leg alone). */
  record Result(Throughput endToEnd, Throughput produceAck) {}

  static Result run(RestClient rest, String topic, BenchOptions o) throws Exception {
    OpenLoop schedule = OpenLoop.latency(o);
    byte[] padding = Payloads.random(Math.max(0, o.recordBytes() - 8), 99);
    Histogram latency = Throughput.newHistogram();
    Histogram ack = new ConcurrentHistogram(Throughput.MAX_MICROS, 3);
    AtomicLong failed = new AtomicLong();
    // The reader stops once every sent record arrived, or a while after the schedule ended.
    long readDeadline = System.nanoTime() + (schedule.total() * schedule.periodNanos()) + 30_000_000_000L;
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
        ExecutorService readerPool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Long> reader = readerPool.submit(() -> read(rest, topic, schedule, failed, readDeadline, latency));
      schedule.run(senders, i -> {
        long sent = System.nanoTime();
        ByteBuffer value = ByteBuffer.allocate(8 + padding.length).putLong(sent).put(padding);
        try {
          rest.post("/topics/" + topic + "/partitions/0?acks=" + o.acks(), RestClient.BINARY,
              "{\"records\":[{\"value\":\"" + Base64.getEncoder().encodeToString(value.array()) + "\"}]}");
          if (schedule.counted(i)) {
            long micros = Math.max(1, (System.nanoTime() - sent) / 1000);
            ack.recordValue(micros);
            if (SLOW_ACK_MICROS > 0 && micros >= SLOW_ACK_MICROS) {
              System.err.println("slow ack: " + micros / 1000 + " ms, acknowledged at " + java.time.Instant.now());
            }
          }
        } catch (java.io.IOException e) {
          failed.incrementAndGet();
        }
      });
      long received = reader.get();
      String name = "end-to-end latency @ " + o.latencyRate() + " rec/s"
          + (failed.get() > 0 ? " (" + failed.get() + " sends failed)" : "");
      long measured = Math.max(0, received - schedule.warmup());
      return new Result(
          new Throughput(name, measured, measured * o.recordBytes(), o.latencyDuration().toSeconds(), latency),
          new Throughput("produce acknowledged @ " + o.latencyRate() + " rec/s (same requests)", ack.getTotalCount(),
              ack.getTotalCount() * o.recordBytes(), o.latencyDuration().toSeconds(), ack));
    }
  }

  private static long read(RestClient rest, String topic, OpenLoop schedule, AtomicLong failed, long deadline,
      Histogram latency) throws Exception {
    long next = 0;
    long received = 0;
    while (received < schedule.total() - failed.get() && System.nanoTime() < deadline) {
      byte[] body = rest.get("/topics/" + topic + "/partitions/0/records?offset=" + next + "&timeout=1000",
          RestClient.BINARY);
      long now = System.nanoTime();
      for (JsonNode record : MAPPER.readTree(body)) {
        long sent = ByteBuffer.wrap(Base64.getDecoder().decode(record.get("value").asText())).getLong();
        if (schedule.counted(received)) {
          latency.recordValue(Math.max(1, (now - sent) / 1000));
        }
        received++;
        next = record.get("offset").asLong() + 1;
      }
    }
    return received;
  }
}
