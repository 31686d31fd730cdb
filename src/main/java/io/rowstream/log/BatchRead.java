package io.rowstream.log;

import io.rowstream.error.BrokerException;

/**
 * What a fetch of many partitions read for one of them: its batches, or why it could not be read
 * (OFFSET_OUT_OF_RANGE, PARTITION_NOT_FOUND), which fails only this partition.
 */
public record BatchRead(BatchFetch fetch, StoredBatches batches, BrokerException error) {
  static BatchRead of(BatchFetch fetch, StoredBatches batches) {
    return new BatchRead(fetch, batches, null);
  }

  static BatchRead failed(BatchFetch fetch, BrokerException error) {
    return new BatchRead(fetch, null, error);
  }

  int sizeBytes() {
    return batches == null ? 0 : batches.sizeBytes();
  }
}
