package io.rowstream.log;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicConfig;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.compress.Compression;

/**
 * One chunk's records as a Kafka v2 batch encoded at base offset 0, with the figures the chunk
 * row keeps. {@code append_chunks} writes the real base offset into it under the partition lock;
 * encoding happens before, outside any transaction.
 */
public record EncodedChunk(
    byte[] batch, int recordCount, long minTimestampMs, long maxTimestampMs) {

  /**
   * Encodes {@code records} as {@code topic} stores them (its timestamp type and compression). A
   * compressed batch larger than max.message.bytes is refused with RECORD_TOO_LARGE, as Kafka
   * refuses a batch that grew when the broker compressed it; an uncompressed one was cut to size before.
   */
  public static EncodedChunk encode(
      Topic topic, int partition, List<LogRecord> records, long appendTimeMs) {
    EncodedChunk chunk = encode(records, topic.logAppendTime(), appendTimeMs, topic.compression());
    if (chunk.sizeBytes() > topic.maxMessageBytes()) {
      throw new BrokerException(
          BrokerError.RECORD_TOO_LARGE,
          "Message batch size is " + chunk.sizeBytes()
              + " bytes in append to partition " + partition + " of topic " + topic.name()
              + " once compressed with "
              + topic.config(TopicConfig.COMPRESSION_TYPE)
              + ", which exceeds the maximum configured size of "
              + topic.maxMessageBytes() + " (max.message.bytes); nothing was written.");
    }
    return chunk;
  }

  /** Encodes {@code records} uncompressed ({@link #encode(List, boolean, long, Compression)} with none). */
  public static EncodedChunk encode(
      List<LogRecord> records, boolean logAppendTime, long appendTimeMs) {
    return encode(records, logAppendTime, appendTimeMs, Compression.NONE);
  }

  /**
   * Encodes {@code records}, compressed with {@code compression}; with {@code logAppendTime} every
   * record's timestamp becomes {@code appendTimeMs}, as a Kafka broker does for such a topic.
   */
  public static EncodedChunk encode(
      List<LogRecord> records, boolean logAppendTime, long appendTimeMs, Compression compression) {
    ByteBuffer batch =
        RecordBatchCodec.encode(0, records, logAppendTime, appendTimeMs, compression);
    long min = appendTimeMs;
    long max = appendTimeMs;
    if (!logAppendTime) {
      min = Long.MAX_VALUE;
      max = Long.MIN_VALUE;
      for (LogRecord r : records) {
        min = Math.min(min, r.timestamp());
        max = Math.max(max, r.timestamp());
      }
    }
    return new EncodedChunk(toArray(batch), records.size(), min, max);
  }

  public int sizeBytes() {
    return batch.length;
  }

  private static byte[] toArray(ByteBuffer buffer) {
    if (buffer.hasArray()
        && buffer.arrayOffset() == 0
        && buffer.position() == 0
        && buffer.remaining() == buffer.array().length) {
      return buffer.array();
    }
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
