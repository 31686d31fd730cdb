package io.rowstream.log;

import java.nio.ByteBuffer;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * A client's Kafka v2 record batch, already checked against its topic ({@code
 * produce.ProduceService#appendBatch}), stored as sent: its records are neither decoded nor
 * encoded again, and its CRC stays valid ({@code append_chunks} writes only the base offset and the
 * leader epoch, which the CRC does not cover). The figures of its chunk row come from the batch's
 * header. {@code producer}: the idempotent producer's claim from the header, or null.
 */
public record ClientBatch(
    byte[] batch,
    int recordCount,
    long minTimestampMs,
    long maxTimestampMs,
    ProducerBatch producer) {

  /**
   * The chunk to store. On a LogAppendTime topic the batch's timestamp type and max timestamp
   * become the append time, and its CRC is computed again, as a Kafka broker does
   * ({@code setMaxTimestamp}); the records keep their bytes.
   */
  EncodedChunk chunk(boolean logAppendTime, long appendTimeMs) {
    if (!logAppendTime) {
      return new EncodedChunk(batch, recordCount, minTimestampMs, maxTimestampMs);
    }
    byte[] stamped = batch.clone();
    MemoryRecords.readableRecords(ByteBuffer.wrap(stamped))
        .batches()
        .iterator()
        .next()
        .setMaxTimestamp(TimestampType.LOG_APPEND_TIME, appendTimeMs);
    return new EncodedChunk(stamped, recordCount, appendTimeMs, appendTimeMs);
  }
}
