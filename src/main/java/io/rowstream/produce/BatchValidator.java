package io.rowstream.produce;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.log.ClientBatch;
import io.rowstream.log.LogRecord;
import io.rowstream.log.ProducerBatch;
import io.rowstream.log.RecordBatchCodec;
import io.rowstream.log.StoredRecord;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicConfig;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * Checks a client's encoded record batch (Kafka Produce v3 and later: one v2 batch per partition)
 * against its topic as Kafka's {@code ProduceRequest.validateRecords}, {@code
 * UnifiedLog.analyzeAndValidateRecords} and {@code LogValidator} do, before anything is written:
 * exactly one batch filling the bytes sent (INVALID_RECORD), magic 2 (INVALID_RECORD), at most
 * max.message.bytes (RECORD_TOO_LARGE), a CRC that matches (CORRUPT_MESSAGE), a record count that
 * agrees with the offset range and the records (INVALID_RECORD), no control batch (INVALID_RECORD),
 * no transactional batch (TRANSACTIONS_UNSUPPORTED), a sequence with a producer id, a key on each
 * record of a compacted topic (INVALID_RECORD), and each CreateTime timestamp within the topic's
 * bounds (INVALID_TIMESTAMP). The records are streamed without their keys and values, as Kafka's
 * validator does; they are decoded only when the topic's compression.type asks for another codec.
 */
final class BatchValidator {
  /** Kafka's v2 batch header up to the batch length field, and the magic byte's place. */
  private static final int LOG_OVERHEAD = 12;

  private static final int MAGIC_OFFSET = 16;
  private static final int MIN_BATCH_SIZE = 61;

  private BatchValidator() {}

  /**
   * A checked batch: stored as sent ({@code asSent}), or, when the topic compresses with another
   * codec, its records to encode again as one chunk ({@code recompress}); {@code producer} from the
   * batch header (null: none).
   */
  record Checked(ClientBatch asSent, List<LogRecord> recompress, ProducerBatch producer) {}

  static Checked check(Topic topic, int partition, ByteBuffer records, long now) {
    String where =
        " in partition " + partition + " of topic " + topic.name() + "; nothing was written.";
    ByteBuffer buffer = records == null ? ByteBuffer.allocate(0) : records.slice();
    if (buffer.remaining() < LOG_OVERHEAD) {
      throw invalid("The produce request holds no record batch for the partition" + where);
    }
    long size = LOG_OVERHEAD + (long) buffer.getInt(8);
    if (size <= MAGIC_OFFSET) {
      throw new BrokerException(
          BrokerError.CORRUPT_MESSAGE,
          "The record batch's length " + (size - LOG_OVERHEAD) + " cannot hold a batch" + where);
    }
    if (size > buffer.remaining()) {
      throw invalid("The record batch's length " + (size - LOG_OVERHEAD) + " exceeds the "
          + buffer.remaining() + " bytes sent: no complete record batch" + where);
    }
    if (size < buffer.remaining()) {
      throw invalid("A Kafka produce request (v3 and later) holds exactly one record batch per "
          + "partition; " + (buffer.remaining() - size) + " bytes follow the first" + where);
    }
    if (buffer.get(MAGIC_OFFSET) != RecordBatch.MAGIC_VALUE_V2) {
      throw invalid("Record batches of magic " + buffer.get(MAGIC_OFFSET)
          + " are not accepted, only magic 2" + where);
    }
    if (size < MIN_BATCH_SIZE) {
      throw new BrokerException(
          BrokerError.CORRUPT_MESSAGE,
          "The record batch's length " + (size - LOG_OVERHEAD) + " is below the smallest batch"
              + where);
    }
    if (size > topic.maxMessageBytes()) {
      throw new BrokerException(
          BrokerError.RECORD_TOO_LARGE,
          "The record batch is " + size + " bytes, over the topic's max.message.bytes of "
              + topic.maxMessageBytes() + where);
    }
    byte[] bytes = new byte[(int) size];
    buffer.get(0, bytes);
    MutableRecordBatch batch = MemoryRecords.readableRecords(ByteBuffer.wrap(bytes))
        .batches()
        .iterator()
        .next();
    if (!batch.isValid()) {
      throw new BrokerException(
          BrokerError.CORRUPT_MESSAGE,
          "The record batch's CRC " + batch.checksum() + " does not match its bytes" + where);
    }
    checkHeader(topic, batch, where);
    TimeRange times = checkRecords(topic, batch, now, where);
    long maxTimestamp = times.max();
    if (!topic.logAppendTime() && maxTimestamp != batch.maxTimestamp()) {
      batch.setMaxTimestamp(TimestampType.CREATE_TIME, maxTimestamp); // as Kafka: CRC recomputed
    }
    ProducerBatch producer = batch.hasProducerId()
        ? new ProducerBatch(batch.producerId(), batch.producerEpoch(), batch.baseSequence())
        : null;
    if (storedAsSent(topic, batch)) {
      return new Checked(
          new ClientBatch(bytes, batch.countOrNull(), times.min(), maxTimestamp, producer),
          null,
          producer);
    }
    List<LogRecord> decoded =
        RecordBatchCodec.decode(bytes, 0).stream().map(StoredRecord::record).toList();
    return new Checked(null, decoded, producer);
  }

  private static void checkHeader(Topic topic, MutableRecordBatch batch, String where) {
    Integer count = batch.countOrNull();
    long fromOffsets = batch.lastOffset() - batch.baseOffset() + 1;
    if (count == null || count <= 0 || fromOffsets != count) {
      throw invalid("The record batch declares " + count + " records but spans offsets "
          + batch.baseOffset() + " to " + batch.lastOffset() + where);
    }
    if (batch.isControlBatch()) {
      throw invalid("Clients may not write control batches" + where);
    }
    if (batch.isTransactional()) {
      throw new BrokerException(
          BrokerError.TRANSACTIONS_UNSUPPORTED,
          "Transactional record batches are not accepted: Rowstream has no transactions yet"
              + where);
    }
    if (batch.hasProducerId() && (batch.baseSequence() < 0 || batch.producerEpoch() < 0)) {
      throw invalid("The record batch of producer id " + batch.producerId() + " has sequence "
          + batch.baseSequence() + " and epoch " + batch.producerEpoch() + where);
    }
    if (!topic.logAppendTime() && batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
      throw new BrokerException(
          BrokerError.INVALID_TIMESTAMP,
          "A producer may not set the timestamp type LogAppendTime on a CreateTime topic" + where);
    }
  }

  /** The smallest and largest timestamp of a batch's records. */
  private record TimeRange(long min, long max) {}

  /**
   * Streams the records (without keys and values): each at its offset delta, a key on each on a
   * compacted topic, each CreateTime timestamp in bounds; returns their timestamps' range.
   */
  private static TimeRange checkRecords(
      Topic topic, MutableRecordBatch batch, long now, String where) {
    TimestampBounds bounds = TimestampBounds.of(topic);
    long max = RecordBatch.NO_TIMESTAMP;
    long min = Long.MAX_VALUE;
    int index = 0;
    try (BufferSupplier buffers = BufferSupplier.create();
        CloseableIterator<Record> records = batch.skipKeyValueIterator(buffers)) {
      while (records.hasNext()) {
        Record r = records.next();
        if (r.offset() - batch.baseOffset() != index) {
          throw invalid("Record " + index + " has offset delta " + (r.offset() - batch.baseOffset())
              + " instead of " + index + where);
        }
        if (topic.isCompacted() && !r.hasKey()) {
          throw invalid("Record " + index + " has no key: a compacted topic "
              + "(cleanup.policy=compact) cannot accept a record without a key, as in Kafka"
              + where);
        }
        long timestamp = r.timestamp();
        if (!topic.logAppendTime() && timestamp != RecordBatch.NO_TIMESTAMP) {
          if (timestamp < 0) {
            throw new BrokerException(
                BrokerError.INVALID_TIMESTAMP,
                "Record " + index + " has a negative timestamp " + timestamp + where);
          }
          bounds.check(timestamp, now, index);
        }
        max = Math.max(max, timestamp);
        min = Math.min(min, timestamp);
        index++;
      }
    } catch (CorruptRecordException e) {
      throw new BrokerException(
          BrokerError.CORRUPT_MESSAGE, "The record batch is corrupt: " + e.getMessage() + where);
    } catch (KafkaException | BufferUnderflowException e) {
      throw invalid("The record batch's records cannot be read: " + e.getMessage() + where);
    }
    if (index != batch.countOrNull()) {
      throw invalid("The record batch declares " + batch.countOrNull() + " records but holds "
          + index + where);
    }
    return new TimeRange(min, max);
  }

  /** As sent when the topic keeps the producer's codec, or names the codec the batch has. */
  private static boolean storedAsSent(Topic topic, RecordBatch batch) {
    return topic.config(TopicConfig.COMPRESSION_TYPE).equals("producer")
        || topic.compression().type() == batch.compressionType();
  }

  private static BrokerException invalid(String message) {
    return new BrokerException(BrokerError.INVALID_PAYLOAD, message);
  }
}
