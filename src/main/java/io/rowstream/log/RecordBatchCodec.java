package io.rowstream.log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;

/**
 * Kafka's v2 record batch format, through kafka-clients: how a chunk's bytes are written and read.
 * A stored batch is exactly what a Kafka broker would keep for the same records.
 */
public final class RecordBatchCodec {
  private RecordBatchCodec() {}

  /** Builds one uncompressed v2 batch holding {@code records} at offsets {@code baseOffset}, +1, … */
  public static ByteBuffer encode(long baseOffset, List<LogRecord> records, boolean logAppendTime, long appendTimeMs) {
    return ByteBuffer.wrap(RecordBatchWriter.write(baseOffset, records, logAppendTime, appendTimeMs));
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
