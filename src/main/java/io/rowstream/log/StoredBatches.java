package io.rowstream.log;

/**
 * Stored batches of one partition exactly as they are stored (Kafka v2 record batches back to back,
 * each with its base offset and leader epoch written in), and the partition's [log start, log end)
 * the read saw: what a Kafka Fetch answers for a partition ({@code records}, {@code
 * log_start_offset}, {@code high_watermark}). {@code records} is empty when there was nothing to
 * return.
 */
public record StoredBatches(
    byte[] records, int batchCount, long logStartOffset, long logEndOffset) {
  public int sizeBytes() {
    return records.length;
  }
}
