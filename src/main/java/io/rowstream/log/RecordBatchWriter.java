package io.rowstream.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes an uncompressed Kafka v2 record batch in one pass into an array of exactly its size: the
 * same bytes as kafka-clients' {@code MemoryRecordsBuilder} (RecordBatchWriterTest holds the two
 * byte for byte), without its per-byte stream writes and final copy, which the produce profile
 * showed as the costliest part of encoding. Reading stays with kafka-clients.
 *
 * <p>Layout (Kafka's {@code DefaultRecordBatch}): baseOffset int64, batchLength int32,
 * partitionLeaderEpoch int32, magic int8, crc uint32 (CRC-32C of everything after it), attributes
 * int16, lastOffsetDelta int32, baseTimestamp int64, maxTimestamp int64, producerId int64,
 * producerEpoch int16, baseSequence int32, record count int32, then each record: length varint,
 * attributes int8, timestampDelta varlong, offsetDelta varint, key, value, headers (lengths as
 * varints, -1 for null).
 */
final class RecordBatchWriter {
  static final int BATCH_OVERHEAD = 61;
  private static final int CRC_OFFSET = 17;
  private static final int ATTRIBUTES_OFFSET = 21;
  private static final short LOG_APPEND_TIME_FLAG = 0x08;

  private final byte[] out;
  private int at;

  private RecordBatchWriter(int size) {
    this.out = new byte[size];
  }

  /** The batch of {@code records} at offsets {@code baseOffset}, +1, …; never empty. */
  static byte[] write(
      long baseOffset, List<LogRecord> records, boolean logAppendTime, long appendTimeMs) {
    long baseTimestamp = records.getFirst().timestamp();
    long maxTimestamp = Long.MIN_VALUE;
    int size = BATCH_OVERHEAD;
    int[] bodySizes = new int[records.size()];
    for (int i = 0; i < records.size(); i++) {
      LogRecord r = records.get(i);
      maxTimestamp = Math.max(maxTimestamp, r.timestamp());
      bodySizes[i] = bodySize(r, r.timestamp() - baseTimestamp, i);
      size += sizeOfVarint(bodySizes[i]) + bodySizes[i];
    }
    RecordBatchWriter w = new RecordBatchWriter(size);
    w.int64(baseOffset);
    w.int32(size - 12);
    w.int32(-1); // partitionLeaderEpoch: none, as the builder writes it
    w.int8(2); // magic
    w.int32(0); // crc, filled in last
    w.int16(logAppendTime ? LOG_APPEND_TIME_FLAG : 0);
    w.int32(records.size() - 1);
    w.int64(baseTimestamp);
    w.int64(logAppendTime ? appendTimeMs : maxTimestamp);
    w.int64(-1); // producerId
    w.int16(-1); // producerEpoch
    w.int32(-1); // baseSequence
    w.int32(records.size());
    for (int i = 0; i < records.size(); i++) {
      w.record(records.get(i), bodySizes[i], records.get(i).timestamp() - baseTimestamp, i);
    }
    if (w.at != size) {
      throw new IllegalStateException(
          "wrote " + w.at + " bytes of a " + size + "-byte batch, which indicates a bug");
    }
    CRC32C crc = new CRC32C();
    crc.update(w.out, ATTRIBUTES_OFFSET, size - ATTRIBUTES_OFFSET);
    w.at = CRC_OFFSET;
    w.int32((int) crc.getValue());
    return w.out;
  }

  /** The exact size of the batch {@link #write} makes of {@code records}. */
  static long sizeOf(List<LogRecord> records) {
    long baseTimestamp = records.getFirst().timestamp();
    long size = BATCH_OVERHEAD;
    for (int i = 0; i < records.size(); i++) {
      LogRecord r = records.get(i);
      int body = bodySize(r, r.timestamp() - baseTimestamp, i);
      size += sizeOfVarint(body) + body;
    }
    return size;
  }

  /**
   * Cuts {@code records} into runs, in order, each written as a batch of at most {@code maxBytes}
   * (exactly as {@link #write} sizes it): a run grows while the next record still fits. A record
   * whose batch alone exceeds {@code maxBytes} forms a run of its own, which the caller refuses.
   */
  static List<List<LogRecord>> split(List<LogRecord> records, long maxBytes) {
    List<List<LogRecord>> runs = new ArrayList<>();
    int start = 0;
    long size = 0;
    for (int i = 0; i < records.size(); i++) {
      LogRecord r = records.get(i);
      int body = bodySize(r, r.timestamp() - records.get(start).timestamp(), i - start);
      long grown = size + sizeOfVarint(body) + body;
      if (i > start && grown > maxBytes) {
        runs.add(records.subList(start, i));
        start = i;
        body = bodySize(r, 0, 0);
        grown = BATCH_OVERHEAD + sizeOfVarint(body) + body;
      } else if (i == start) {
        grown += BATCH_OVERHEAD;
      }
      size = grown;
    }
    runs.add(records.subList(start, records.size()));
    return runs;
  }

  /** A record's size after its length prefix. */
  private static int bodySize(LogRecord r, long timestampDelta, int offsetDelta) {
    int size = 1
        + sizeOfVarlong(timestampDelta)
        + sizeOfVarint(offsetDelta)
        + sizeOfBytes(r.key())
        + sizeOfBytes(r.value())
        + sizeOfVarint(r.headers().size());
    for (LogRecord.Header h : r.headers()) {
      int nameLength = utf8Length(h.name());
      size += sizeOfVarint(nameLength) + nameLength + sizeOfBytes(h.value());
    }
    return size;
  }

  private void record(LogRecord r, int bodySize, long timestampDelta, int offsetDelta) {
    varint(bodySize);
    int8(0); // record attributes: unused
    varlong(timestampDelta);
    varint(offsetDelta);
    bytes(r.key());
    bytes(r.value());
    varint(r.headers().size());
    for (LogRecord.Header h : r.headers()) {
      byte[] name = h.name().getBytes(StandardCharsets.UTF_8);
      varint(name.length);
      System.arraycopy(name, 0, out, at, name.length);
      at += name.length;
      bytes(h.value());
    }
  }

  private void bytes(byte[] b) {
    if (b == null) {
      varint(-1);
      return;
    }
    varint(b.length);
    System.arraycopy(b, 0, out, at, b.length);
    at += b.length;
  }

  private void int8(int v) {
    out[at++] = (byte) v;
  }

  private void int16(int v) {
    out[at++] = (byte) (v >>> 8);
    out[at++] = (byte) v;
  }

  private void int32(int v) {
    out[at++] = (byte) (v >>> 24);
    out[at++] = (byte) (v >>> 16);
    out[at++] = (byte) (v >>> 8);
    out[at++] = (byte) v;
  }

  private void int64(long v) {
    int32((int) (v >>> 32));
    int32((int) v);
  }

  /** Zig-zag varint, as Kafka (and protobuf) write sint32. */
  private void varint(int value) {
    int v = (value << 1) ^ (value >> 31);
    while ((v & 0xffffff80) != 0) {
      out[at++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out[at++] = (byte) v;
  }

  private void varlong(long value) {
    long v = (value << 1) ^ (value >> 63);
    while ((v & 0xffffffffffffff80L) != 0) {
      out[at++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out[at++] = (byte) v;
  }

  private static int sizeOfBytes(byte[] b) {
    return b == null ? 1 : sizeOfVarint(b.length) + b.length;
  }

  /** Bytes of a zig-zag varint: seven bits per byte, at least one. */
  static int sizeOfVarint(int value) {
    int v = (value << 1) ^ (value >> 31);
    return Math.max(1, (38 - Integer.numberOfLeadingZeros(v)) / 7);
  }

  static int sizeOfVarlong(long value) {
    long v = (value << 1) ^ (value >> 63);
    return Math.max(1, (70 - Long.numberOfLeadingZeros(v)) / 7);
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
