package io.rowstream.consumer;

import io.rowstream.log.StoredRecord;
import java.util.List;

/** Records a read returns from one assigned partition, in offset order. */
public record PartitionRecords(String topic, int partition, List<StoredRecord> records) {}
