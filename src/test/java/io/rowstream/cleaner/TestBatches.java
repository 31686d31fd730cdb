package io.rowstream.cleaner;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/** Builds stored v2 batches for the cleaner's tests with kafka-clients, and reads them back. */
final class TestBatches {
  private TestBatches() {}

  /** One record to write: null key or value allowed. */
  record Rec(String key, String value, long timestamp, Header... headers) {
    Rec(String key, String value) {
      this(key, value, 1_000L);
    }
  }

  /** One record as read back, with its offset. */
  record Read(long offset, String key, String value, long timestamp, List<String> headers) {}

  static Rec put(String key, String value) {
    return new Rec(key, value);
  }

  static Rec tombstone(String key) {
    return new Rec(key, null);
  }

  static ByteBuffer batch(long baseOffset, Rec... records) {
    return batch(baseOffset, Compression.NONE, records);
  }

  static ByteBuffer batch(long baseOffset, Compression compression, Rec... records) {
    return batch(
        baseOffset,
        compression,
        RecordBatch.NO_PRODUCER_ID,
        RecordBatch.NO_PRODUCER_EPOCH,
        RecordBatch.NO_SEQUENCE,
        List.of(records));
  }

  static ByteBuffer batch(
      long baseOffset,
      Compression compression,
      long producerId,
      short producerEpoch,
      int baseSequence,
      List<Rec> records) {
    MemoryRecordsBuilder builder = MemoryRecords.builder(
        ByteBuffer.allocate(1 << 20),
        RecordBatch.CURRENT_MAGIC_VALUE,
        compression,
        TimestampType.CREATE_TIME,
        baseOffset,
        RecordBatch.NO_TIMESTAMP,
        producerId,
        producerEpoch,
        baseSequence,
        false,
        7);
    for (Rec r : records) {
      builder.append(r.timestamp(), bytes(r.key()), bytes(r.value()), r.headers());
    }
    return builder.build().buffer();
  }

  static MutableRecordBatch only(ByteBuffer batch) {
    List<MutableRecordBatch> batches = new ArrayList<>();
    MemoryRecords.readableRecords(batch.duplicate()).batches().forEach(batches::add);
    if (batches.size() != 1) {
      throw new AssertionError("expected one batch, found " + batches.size());
    }
    return batches.getFirst();
  }

  static List<Read> read(ByteBuffer batch) {
    List<Read> out = new ArrayList<>();
    for (Record r : only(batch)) {
      List<String> headers = new ArrayList<>();
      for (Header h : r.headers()) {
        headers.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8));
      }
      out.add(new Read(r.offset(), string(r.key()), string(r.value()), r.timestamp(), headers));
    }
    return out;
  }

  static List<Long> offsets(ByteBuffer batch) {
    return read(batch).stream().map(Read::offset).toList();
  }

  static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  static ByteBuffer key(String s) {
    return ByteBuffer.wrap(bytes(s));
  }

  private static String string(ByteBuffer b) {
    if (b == null) {
      return null;
    }
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return new String(out, StandardCharsets.UTF_8);
  }
}
