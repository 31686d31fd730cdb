package io.rowstream.log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Kafka's v2 record batch format, through kafka-clients: how a chunk's bytes are written and read.
 * A stored batch is exactly what a Kafka broker would keep for the same records.
 */
public final class RecordBatchCodec {
  private static final Header[] NO_HEADERS = new Header[0];

  private RecordBatchCodec() {}

  /** Builds one uncompressed v2 batch holding {@code records} at offsets {@code baseOffset}, +1, … */
  public static ByteBuffer encode(
      long baseOffset, List<LogRecord> records, boolean logAppendTime, long appendTimeMs) {
    return ByteBuffer.wrap(
        RecordBatchWriter.write(baseOffset, records, logAppendTime, appendTimeMs));
  }

  /**
   * Builds one v2 batch holding {@code records} at offsets {@code baseOffset}, +1, …, its records
   * compressed with {@code compression}: uncompressed through {@link RecordBatchWriter}, else
   * through kafka-clients' {@link MemoryRecordsBuilder}, as a Kafka broker recompresses a batch.
   */
  public static ByteBuffer encode(
      long baseOffset,
      List<LogRecord> records,
      boolean logAppendTime,
      long appendTimeMs,
      Compression compression) {
    if (compression.type() == CompressionType.NONE) {
      return encode(baseOffset, records, logAppendTime, appendTimeMs);
    }
    // A first guess at the size, half the uncompressed one; the builder grows its buffer when the
    // codec needs more.
    long guess = RecordBatchWriter.sizeOf(records) / 2 + 256;
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(guess, Integer.MAX_VALUE - 8));
    try (MemoryRecordsBuilder builder = MemoryRecords.builder(
        buffer,
        RecordBatch.CURRENT_MAGIC_VALUE,
        compression,
        logAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
        baseOffset,
        appendTimeMs)) {
      for (LogRecord r : records) {
        builder.append(r.timestamp(), r.key(), r.value(), headersOf(r));
      }
      return builder.build().buffer();
    }
  }

  /**
   * The exact size of a batch that holds only this record: what Kafka compares with
   * {@code max.message.bytes} for it.
   */
  public static long batchSizeOf(LogRecord record) {
    return RecordBatchWriter.sizeOf(List.of(record));
  }

  /** Reads every record of a stored batch at or above {@code fromOffset}, after checking its CRC. */
  public static List<StoredRecord> decode(byte[] batch, long fromOffset) {
    List<StoredRecord> out = new ArrayList<>();
    for (MutableRecordBatch b :
        MemoryRecords.readableRecords(ByteBuffer.wrap(batch)).batches()) {
      b.ensureValid();
      for (Record r : b) {
        if (r.offset() >= fromOffset) {
          out.add(new StoredRecord(
              r.offset(),
              new LogRecord(
                  bytes(r.key()), bytes(r.value()), headers(r.headers()), r.timestamp())));
        }
      }
    }
    return out;
  }

  private static Header[] headersOf(LogRecord r) {
    if (r.headers().isEmpty()) {
      return NO_HEADERS;
    }
    Header[] headers = new Header[r.headers().size()];
    for (int i = 0; i < headers.length; i++) {
      LogRecord.Header h = r.headers().get(i);
      headers[i] = new RecordHeader(h.name(), h.value());
    }
    return headers;
  }

  private static List<LogRecord.Header> headers(Header[] headers) {
    if (headers.length == 0) {
      return List.of();
    }
    List<LogRecord.Header> out = new ArrayList<>(headers.length);
    for (Header h : headers) {
      out.add(new LogRecord.Header(h.key(), h.value()));
    }
    return out;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return out;
  }
}
