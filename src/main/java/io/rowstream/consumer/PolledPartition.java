package io.rowstream.consumer;

import io.rowstream.log.PartitionKey;
import io.rowstream.log.StoredRecord;
import java.util.List;

/** Records a poll read from one assigned partition. */
public record PolledPartition(String topic, PartitionKey key, List<StoredRecord> records) {}
