package io.rowstream.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Closed loops on chosen partitions through chosen nodes, for a fixed time after a warm-up, with
 * the CPU every measured process used in that time: produce (each request {@code
 * --records-per-request} records to one partition, {@code POST /topics/{t}/partitions/{p}}) or fetch
 * (each client reads its partition from offset 0 to its end, and again, 16 MiB per request).
 * {@code --clients-per-partition} clients per partition; a client sends to the node its
 * {@link NodeRoutes} names.
 */
final class PartitionLoad {
  /** One client's work: returns the records it moved in the measured window, its latencies in {@code histogram}. */
  private interface Client {
    long run(RestClient rest, int partition, Histogram histogram, long warmupEnd, long end) throws Exception;
  }

  /** A measured run: the throughput and the CPU (% of one core) of each process in the window. */
  record Measured(Throughput throughput, Map<String, Double> cpuPercent) {}

  private final NodeScalingOptions options;
  private final Map<Integer, RestClient> clients;
  private final Map<String, CpuMeter> meters;

  /** A process whose CPU seconds so far can be read. */
  interface CpuMeter {
    double seconds() throws Exception;
  }

  PartitionLoad(NodeScalingOptions options, Map<Integer, RestClient> clients, Map<String, CpuMeter> meters) {
    this.options = options;
    this.clients = clients;
    this.meters = meters;
  }

  Measured produce(String topic, NodeRoutes routes, boolean throughFollower, String name) throws Exception {
    int size = options.recordBytes();
    int perRequest = options.recordsPerRequest();
    Map<Integer, byte[]> bodies = new LinkedHashMap<>();
    for (int p = 0; p < options.partitions(); p++) {
      bodies.put(p, Payloads.produceBody(perRequest, size, "binary", p + 1).getBytes(StandardCharsets.UTF_8));
    }
    return drive(routes, throughFollower, name, (rest, partition, histogram, warmupEnd, end) -> {
      String path = "/topics/" + topic + "/partitions/" + partition + "?acks=all";
      long records = 0;
      while (true) {
        long start = System.nanoTime();
        if (start >= end) {
          return records;
        }
        rest.post(path, RestClient.BINARY, bodies.get(partition));
        if (start >= warmupEnd) {
          histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
          records += perRequest;
        }
      }
    });
  }

  Measured fetch(String topic, NodeRoutes routes, boolean throughFollower, String name) throws Exception {
    return drive(routes, throughFollower, name, (rest, partition, histogram, warmupEnd, end) -> {
      long logEnd = CatchUpFetch.endOffset(rest, topic, partition);
      long next = 0;
      long records = 0;
      while (true) {
        long start = System.nanoTime();
        if (start >= end) {
          return records;
        }
        CatchUpFetch.Fetched fetched = CatchUpFetch.fetch(rest, topic, partition, next, RestClient.BINARY);
        if (start >= warmupEnd) {
          histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
          records += fetched.records();
        }
        next = fetched.lastOffset() + 1 >= logEnd ? 0 : fetched.lastOffset() + 1;
      }
    });
  }

  private Measured drive(NodeRoutes routes, boolean throughFollower, String name, Client client) throws Exception {
    long warmupEnd = System.nanoTime() + options.warmup().toNanos();
    long end = warmupEnd + options.duration().toNanos();
    List<Future<Long>> futures = new ArrayList<>();
    List<Histogram> histograms = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int p = 0; p < options.partitions(); p++) {
        for (int c = 0; c < options.clientsPerPartition(); c++) {
          int partition = p;
          RestClient rest = clients.get(routes.nodeFor(p, throughFollower));
          Histogram histogram = Throughput.newHistogram();
          histograms.add(histogram);
          futures.add(pool.submit(() -> client.run(rest, partition, histogram, warmupEnd, end)));
        }
      }
      sleepUntil(warmupEnd);
      Map<String, Double> before = readMeters();
      sleepUntil(end);
      Map<String, Double> after = readMeters();
      long records = 0;
      for (Future<Long> f : futures) {
        records += f.get();
      }
      Histogram all = Throughput.newHistogram();
      histograms.forEach(all::add);
      double seconds = options.duration().toNanos() / 1e9;
      Map<String, Double> cpu = new LinkedHashMap<>();
      before.forEach((process, used) -> cpu.put(process, (after.get(process) - used) / seconds * 100));
      return new Measured(new Throughput(name, records, records * options.recordBytes(), seconds, all), cpu);
    }
  }

  private Map<String, Double> readMeters() throws Exception {
    Map<String, Double> seconds = new LinkedHashMap<>();
    for (Map.Entry<String, CpuMeter> meter : meters.entrySet()) {
      seconds.put(meter.getKey(), meter.getValue().seconds());
    }
    return seconds;
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }
}
