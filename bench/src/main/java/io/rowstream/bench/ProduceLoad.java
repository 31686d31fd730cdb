package io.rowstream.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop produce: {@code clients} threads each send requests of {@code recordsPerRequest}
 * keyless records (the broker spreads them over the partitions) for the duration, after a warm-up.
 * The same loop, bounded by a number of records instead of a time, fills a topic for the
 * prefilled-topic comparison.
 */
final class ProduceLoad {
  /** Concurrent requests while filling a topic: enough that the partitions' group commits fill up. */
  static final int FILL_CLIENTS = 8;
  /** Payload bytes per request while filling, at least: large requests are the broker's fastest path. */
  static final int FILL_REQUEST_BYTES = 1 << 20;

  private ProduceLoad() {}

  static Throughput run(RestClient rest, String topic, BenchOptions o) throws Exception {
    return run(rest, topic, o, "rowstream produce", o.produceDuration());
  }

  /** The measured workload: {@code --clients} closed loops for the duration, after the warm-up. */
  static Throughput run(RestClient rest, String topic, BenchOptions o, String name, Duration duration)
      throws Exception {
    long warmupEnd = System.nanoTime() + o.warmup().toNanos();
    long end = warmupEnd + duration.toNanos();
    Load load = drive(rest, topic, o, o.clients(), o.recordsPerRequest(), o.recordBytes(), warmupEnd, end,
        new AtomicLong(Long.MAX_VALUE));
    long records = load.requests() * o.recordsPerRequest();
    return new Throughput(name, records, records * o.recordBytes(), duration.toNanos() / 1e9, load.latency());
  }

  /**
   * Writes exactly {@code records} records of {@code --prefill-record-bytes} into the topic, in
   * requests of at least {@link #FILL_REQUEST_BYTES} payload bytes from {@link #FILL_CLIENTS} clients.
   */
  static Throughput fill(RestClient rest, String topic, BenchOptions o, long records) throws Exception {
    int size = o.prefillRecordBytes();
    int perRequest = (int) Math.max(1, Math.min(records, Math.max(o.recordsPerRequest(), FILL_REQUEST_BYTES / size)));
    long start = System.nanoTime();
    Load load = drive(rest, topic, o, FILL_CLIENTS, perRequest, size, start, Long.MAX_VALUE,
        new AtomicLong(records / perRequest));
    int remainder = (int) (records % perRequest);
    if (remainder > 0) {
      rest.post(path(topic, o), contentType(o), Payloads.produceBody(remainder, size, o.format(), 0));
    }
    return new Throughput("rowstream prefill, " + records + " records", records, records * size,
        (System.nanoTime() - start) / 1e9, load.latency());
  }

  private record Load(long requests, Histogram latency) {}

  /**
   * {@code clients} closed loops of one request each, until {@code end} or until {@code requestsLeft}
   * runs out; counts and times the requests that started after {@code warmupEnd}.
   */
  private static Load drive(RestClient rest, String topic, BenchOptions o, int clients, int perRequest, int size,
      long warmupEnd, long end, AtomicLong requestsLeft) throws Exception {
    String contentType = contentType(o);
    String path = path(topic, o);
    List<Future<Long>> futures = new ArrayList<>();
    List<Histogram> histograms = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        byte[] body = Payloads.produceBody(perRequest, size, o.format(), c + 1).getBytes(StandardCharsets.UTF_8);
        Histogram histogram = Throughput.newHistogram();
        histograms.add(histogram);
        futures.add(pool.submit(() -> {
          long requests = 0;
          while (true) {
            long start = System.nanoTime();
            if (start >= end || requestsLeft.getAndDecrement() <= 0) {
              return requests;
            }
            rest.post(path, contentType, body);
            long done = System.nanoTime();
            if (start >= warmupEnd) {
              histogram.recordValue(Math.max(1, (done - start) / 1000));
              requests++;
            }
          }
        }));
      }
      long requests = 0;
      for (Future<Long> f : futures) {
        requests += f.get();
      }
      Histogram all = Throughput.newHistogram();
      histograms.forEach(all::add);
      return new Load(requests, all);
    }
  }

  private static String contentType(BenchOptions o) {
    return o.format().equals("json") ? RestClient.JSON : RestClient.BINARY;
  }

  private static String path(String topic, BenchOptions o) {
    return "/topics/" + topic + "?acks=" + o.acks();
  }
}
