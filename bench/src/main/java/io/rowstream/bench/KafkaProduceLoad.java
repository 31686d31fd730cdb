package io.rowstream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The produce workload against Apache Kafka, through kafka-clients: {@code --clients} producers,
 * each fed by its own thread for the produce duration after the warm-up, keyless records of the
 * same incompressible values Rowstream gets, {@code acks} as given, no compression.
 *
 * <p>Made comparable to Rowstream's closed loop of one request per client: each producer keeps one
 * request in flight ({@code max.in.flight.requests.per.connection=1}) and a producer batch holds
 * about {@code --records-per-request} records ({@code batch.size}); a request carries one batch
 * ({@code max.request.size}), like a Rowstream request whose keyless records stick to one
 * partition; and the buffer holds two batches, the one in flight and the one filling, so a
 * record's latency (send() to its acknowledgement) is not inflated by a deep client-side queue.
 */
final class KafkaProduceLoad {
  static final int LINGER_MS = 5;
  /** A v2 record batch header. */
  private static final int BATCH_OVERHEAD = 61;
  /** A keyless, header-less v2 record's framing around its value (length, attributes, deltas, lengths). */
  private static final int RECORD_OVERHEAD = 11;

  private KafkaProduceLoad() {}

  /** Creates the topic (replication factor 1, {@code --partitions}), measures, deletes the topic. */
  static Throughput run(String bootstrap, String topic, BenchOptions o) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, o.partitions(), (short) 1)
          .configs(Map.of("max.message.bytes", Integer.toString(requestBytes(o)))))).all().get();
      try {
        return measure(bootstrap, topic, o);
      } finally {
        admin.deleteTopics(List.of(topic)).all().get();
      }
    }
  }

  /** The producer settings that differ from kafka-clients' defaults, for the report. */
  static String settings(BenchOptions o) {
    return "acks=" + o.acks() + ", compression.type=none, batch.size=" + batchBytes(o) + ", linger.ms=" + LINGER_MS
        + ", max.request.size=" + requestBytes(o) + ", buffer.memory=" + 2L * batchBytes(o)
        + ", max.in.flight.requests.per.connection=1";
  }

  private static Throughput measure(String bootstrap, String topic, BenchOptions o) throws Exception {
    long warmupEnd = System.nanoTime() + o.warmup().toNanos();
    long end = warmupEnd + o.produceDuration().toNanos();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Future<Long>> clients = new ArrayList<>();
    List<Histogram> histograms = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < o.clients(); c++) {
        byte[][] values = Payloads.values(o.recordsPerRequest(), o.recordBytes(), c + 1);
        Histogram histogram = Throughput.newHistogram();
        histograms.add(histogram);
        Properties config = producerConfig(bootstrap, o, c);
        clients.add(pool.submit(() -> {
          // Callbacks run on the producer's one I/O thread; close() joins it before the counts are read.
          AtomicLong acknowledged = new AtomicLong();
          try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            for (long i = 0; failure.get() == null; i++) {
              long start = System.nanoTime();
              if (start >= end) {
                break;
              }
              producer.send(new ProducerRecord<>(topic, values[(int) (i % values.length)]), (metadata, e) -> {
                if (e != null) {
                  failure.compareAndSet(null, e);
                } else if (start >= warmupEnd) {
                  histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                  acknowledged.incrementAndGet();
                }
              });
            }
          }
          return acknowledged.get();
        }));
      }
      long records = 0;
      for (Future<Long> f : clients) {
        records += f.get();
      }
      if (failure.get() != null) {
        throw new IllegalStateException("a Kafka send failed: " + failure.get(), failure.get());
      }
      Histogram all = Throughput.newHistogram();
      histograms.forEach(all::add);
      return new Throughput("kafka produce", records, records * o.recordBytes(), o.produceDuration().toNanos() / 1e9,
          all);
    }
  }

  private static Properties producerConfig(String bootstrap, BenchOptions o, int client) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "rowstream-bench-" + client);
    p.put(ProducerConfig.ACKS_CONFIG, o.acks());
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, batchBytes(o));
    p.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, requestBytes(o));
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * batchBytes(o));
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  /** A batch of {@code --records-per-request} records (the sticky partitioner moves on when one is full). */
  private static int batchBytes(BenchOptions o) {
    return BATCH_OVERHEAD + o.recordsPerRequest() * (o.recordBytes() + RECORD_OVERHEAD);
  }

  /** One batch and the request's own framing. */
  private static int requestBytes(BenchOptions o) {
    return batchBytes(o) + 1024;
  }
}
