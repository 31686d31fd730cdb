package io.rowstream.log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.DefaultRecord;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;

/**
 * Kafka's v2 record batch format, through kafka-clients: how a chunk's bytes are written and read.
 * A stored batch is exactly what a Kafka broker would keep for the same records.
 */
public final class RecordBatchCodec {
  private static final Header[] NO_HEADERS = new Header[0];

  private RecordBatchCodec() {}

  /** Builds one uncompressed v2 batch holding {@code records} at offsets {@code baseOffset}, +1, … */
  public static ByteBuffer encode(long baseOffset, List<LogRecord> records, boolean logAppendTime, long appendTimeMs) {
    return ByteBuffer.wrap(RecordBatchWriter.write(baseOffset, records, logAppendTime, appendTimeMs));
  }

  /**
   * The size of a batch that holds only this record: what Kafka compares with
   * {@code max.message.bytes}.
   */
  public static int batchSizeOf(LogRecord record) {
    return DefaultRecordBatch.RECORD_BATCH_OVERHEAD + singleRecordSize(record);
  }

  private static int singleRecordSize(LogRecord r) {
    // Deltas are at most a few bytes each as varints; size them at their largest to be safe.
    return DefaultRecord.sizeInBytes(Integer.MAX_VALUE, Long.MAX_VALUE,
        r.key() == null ? -1 : r.key().length, r.value() == null ? -1 : r.value().length, headersOf(r));
  }

  /** Reads every record of a stored batch at or above {@code fromOffset}, after checking its CRC. */
  public static List<StoredRecord> decode(byte[] batch, long fromOffset) {
    List<StoredRecord> out = new ArrayList<>();
    for (MutableRecordBatch b : MemoryRecords.readableRecords(ByteBuffer.wrap(batch)).batches()) {
      b.ensureValid();
      for (Record r : b) {
        if (r.offset() >= fromOffset) {
          out.add(new StoredRecord(r.offset(), new LogRecord(bytes(r.key()), bytes(r.value()), headers(r.headers()),
              r.timestamp())));
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
