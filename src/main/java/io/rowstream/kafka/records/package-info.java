/**
 * The record APIs of the Kafka door: Produce, Fetch, ListOffsets, InitProducerId and
 * OffsetForLeaderEpoch, registered by {@link io.rowstream.kafka.records.RecordApis#serve}. Each handler parses nothing itself, authorizes with the connection's caller (WRITE to
 * produce, READ to fetch, DESCRIBE to list offsets), calls the services HTTP uses ({@code
 * produce.ProduceService#appendBatch} for a client's batch as sent, {@code
 * log.PartitionLog#fetchBatches} for stored batches byte for byte, {@code log.OffsetsByTime}, {@code
 * log.EpochEndOffsets}, {@code produce.IdempotentProducers}) and renders their answers and failures as Kafka's per-partition
 * errors. Topic ids (Produce v13, Fetch v13 and later) are resolved to topics by {@code TopicIds}.
 *
 * <p>May use what {@code io.rowstream.kafka} may: services and their values, {@code security},
 * {@code error}; never a store or the database ({@code ArchitectureTest}).
 */
package io.rowstream.kafka.records;
