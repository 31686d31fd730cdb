package io.rowstream.produce;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

/** Record batches built as a Kafka producer builds them (kafka-clients' MemoryRecords.builder). */
final class ClientBatches {
  private ClientBatches() {}

  /** A producer's batch of {@code count} records at {@code baseTimestamp} + i, keys and a header each. */
  static ByteBuffer batch(String codec, int count, long baseTimestamp) {
    return batch(codec, count, baseTimestamp, RecordBatch.NO_PRODUCER_ID, (short) -1, -1, "v");
  }

  static ByteBuffer batch(
      String codec,
      int count,
      long baseTimestamp,
      long producerId,
      short epoch,
      int sequence,
      String valuePrefix) {
    MemoryRecordsBuilder builder =
        builder(codec, RecordBatch.CURRENT_MAGIC_VALUE, producerId, epoch, sequence, false);
    for (int i = 0; i < count; i++) {
      builder.append(
          baseTimestamp + i,
          ("key-" + i).getBytes(StandardCharsets.UTF_8),
          (valuePrefix + "-" + i).getBytes(StandardCharsets.UTF_8),
          new Header[] {new RecordHeader("h", ("header-" + i).getBytes(StandardCharsets.UTF_8))});
    }
    return builder.build().buffer();
  }

  /** A builder of a batch of no idempotent producer, compressed with {@code codec}. */
  static MemoryRecordsBuilder plainBuilder(String codec) {
    return builder(
        codec, RecordBatch.CURRENT_MAGIC_VALUE, RecordBatch.NO_PRODUCER_ID, (short) -1, -1, false);
  }

  static MemoryRecordsBuilder builder(
      String codec, byte magic, long producerId, short epoch, int sequence, boolean transactional) {
    return MemoryRecords.builder(
        ByteBuffer.allocate(1 << 16),
        magic,
        Compression.of(codec).build(),
        TimestampType.CREATE_TIME,
        0L,
        RecordBatch.NO_TIMESTAMP,
        producerId,
        epoch,
        sequence,
        transactional,
        RecordBatch.NO_PARTITION_LEADER_EPOCH);
  }

  /** The one batch of {@code bytes}, to read or change in place. */
  static MutableRecordBatch only(ByteBuffer bytes) {
    return MemoryRecords.readableRecords(bytes.duplicate()).batches().iterator().next();
  }

  /** Makes the batch's CRC match its bytes again after a change, as a client would have computed it. */
  static void recomputeCrc(ByteBuffer bytes) {
    MutableRecordBatch batch = only(bytes);
    long max = batch.maxTimestamp();
    batch.setMaxTimestamp(batch.timestampType(), max + 1);
    batch.setMaxTimestamp(batch.timestampType(), max);
  }

  static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
