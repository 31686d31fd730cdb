package io.rowstream.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

/** Our batch writer writes exactly what kafka-clients' builder writes, byte for byte. */
class RecordBatchWriterTest {

  @Test
  void batches_are_byte_for_byte_those_of_kafka_clients() {
    SplittableRandom random = new SplittableRandom(42);
    for (int round = 0; round < 500; round++) {
      int count = 1 + random.nextInt(round % 10 == 0 ? 300 : 5);
      long base = random.nextLong(0, Long.MAX_VALUE / 2);
      long firstTimestamp = random.nextLong(0, 4_000_000_000_000L);
      List<LogRecord> records = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        records.add(new LogRecord(
            bytesOrNull(random, random.nextInt(4) == 0 ? 0 : random.nextInt(40)),
            bytesOrNull(random, random.nextInt(8) == 0 ? 20_000 : random.nextInt(3000)),
            headers(random),
            firstTimestamp + random.nextLong(-100_000_000L, 100_000_000_000L)));
      }
      boolean logAppendTime = random.nextBoolean();
      long appendTime = firstTimestamp + 5;

      byte[] ours = RecordBatchWriter.write(base, records, logAppendTime, appendTime);

      assertThat(ours)
          .as("round %d, %d records", round, count)
          .isEqualTo(kafkaClients(base, records, logAppendTime, appendTime));
      MemoryRecords.readableRecords(ByteBuffer.wrap(ours)).batches().forEach(b -> b.ensureValid());
    }
  }

  @Test
  void split_cuts_runs_whose_written_batches_fill_the_limit_without_passing_it() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 300; round++) {
      int count = 1 + random.nextInt(60);
      long firstTimestamp = random.nextLong(0, 4_000_000_000_000L);
      List<LogRecord> records = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        records.add(new LogRecord(
            bytesOrNull(random, random.nextInt(40)),
            bytesOrNull(random, random.nextInt(3000)),
            headers(random),
            firstTimestamp + random.nextLong(-100_000_000L, 100_000_000_000L)));
      }
      long limit = 100 + random.nextInt(20_000);

      List<List<LogRecord>> runs = RecordBatchWriter.split(records, limit);

      assertThat(runs.stream().mapToInt(List::size).sum()).isEqualTo(count);
      for (int i = 0; i < runs.size(); i++) {
        List<LogRecord> run = runs.get(i);
        int written = RecordBatchWriter.write(0, run, false, 0).length;
        assertThat(RecordBatchWriter.sizeOf(run)).isEqualTo(written);
        assertThat(written <= limit || run.size() == 1)
            .as("round %d: a run over the limit holds one record", round)
            .isTrue();
        if (i + 1 < runs.size()) {
          List<LogRecord> grown = new ArrayList<>(run);
          grown.add(runs.get(i + 1).getFirst());
          assertThat(RecordBatchWriter.write(0, grown, false, 0).length)
              .as("round %d: the next record would not fit", round)
              .isGreaterThan((int) limit);
        }
      }
    }
  }

  @Test
  void varint_sizes_match_the_bytes_written_at_every_boundary() {
    for (int v :
        new int[] {0, 1, -1, 63, 64, -64, -65, 8191, 8192, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      assertThat(RecordBatchWriter.sizeOfVarint(v))
          .as("%d", v)
          .isEqualTo(org.apache.kafka.common.utils.internals.ByteUtils.sizeOfVarint(v));
    }
    for (long v :
        new long[] {0, 1, -1, 63, 64, 1L << 40, -(1L << 40), Long.MAX_VALUE, Long.MIN_VALUE}) {
      assertThat(RecordBatchWriter.sizeOfVarlong(v))
          .as("%d", v)
          .isEqualTo(org.apache.kafka.common.utils.internals.ByteUtils.sizeOfVarlong(v));
    }
  }

  private static byte[] kafkaClients(
      long base, List<LogRecord> records, boolean logAppendTime, long appendTime) {
    MemoryRecordsBuilder builder = MemoryRecords.builder(
        ByteBuffer.allocate(1 << 24),
        RecordBatch.CURRENT_MAGIC_VALUE,
        Compression.NONE,
        logAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
        base,
        appendTime);
    long offset = base;
    for (LogRecord r : records) {
      Header[] headers = r.headers().stream()
          .map(h -> new RecordHeader(h.name(), h.value()))
          .toArray(Header[]::new);
      builder.appendWithOffset(offset++, r.timestamp(), r.key(), r.value(), headers);
    }
    ByteBuffer built = builder.build().buffer();
    byte[] out = new byte[built.remaining()];
    built.get(out);
    return out;
  }

  static byte[] bytesOrNull(SplittableRandom random, int size) {
    if (random.nextInt(6) == 0) {
      return null;
    }
    byte[] b = new byte[size];
    random.nextBytes(b);
    return b;
  }

  private static List<LogRecord.Header> headers(SplittableRandom random) {
    List<LogRecord.Header> headers = new ArrayList<>();
    for (int i = random.nextInt(3) == 0 ? random.nextInt(4) : 0; i > 0; i--) {
      headers.add(new LogRecord.Header(
          i % 2 == 0 ? "trace-id" : "ünïcode-" + i, bytesOrNull(random, random.nextInt(30))));
    }
    return headers;
  }
}
