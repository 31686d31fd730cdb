package io.rowstream.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop produce: {@code clients} threads each send requests of {@code recordsPerRequest}
 * keyless records (the broker spreads them over the partitions) for the duration, after a warm-up.
 */
final class ProduceLoad {
  private ProduceLoad() {}

  static Throughput run(RestClient rest, String topic, BenchOptions o) throws Exception {
    String contentType = o.format().equals("json") ? RestClient.JSON : RestClient.BINARY;
    String path = "/topics/" + topic + "?acks=" + o.acks();
    long warmupEnd = System.nanoTime() + o.warmup().toNanos();
    long end = warmupEnd + o.produceDuration().toNanos();
    List<Future<long[]>> clients = new ArrayList<>();
    List<Histogram> histograms = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < o.clients(); c++) {
        String body = Payloads.produceBody(o.recordsPerRequest(), o.recordBytes(), o.format(), c + 1);
        Histogram histogram = Throughput.newHistogram();
        histograms.add(histogram);
        clients.add(pool.submit(() -> {
          long requests = 0;
          while (true) {
            long start = System.nanoTime();
            if (start >= end) {
              return new long[] {requests};
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
      for (Future<long[]> f : clients) {
        requests += f.get()[0];
      }
      Histogram all = Throughput.newHistogram();
      histograms.forEach(all::add);
      long records = requests * o.recordsPerRequest();
      return new Throughput("rowstream produce", records, records * o.recordBytes(),
          o.produceDuration().toNanos() / 1e9, all);
    }
  }

  static Duration total(BenchOptions o) {
    return o.warmup().plus(o.produceDuration());
  }
}
