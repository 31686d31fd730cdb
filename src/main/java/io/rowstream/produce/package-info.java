/**
 * Produce: checking records against their topic, choosing partitions, appending each partition's
 * records as one chunk by the partition's leader (forwarding to it when another node leads), and
 * idempotent producers. Public face: {@link io.rowstream.produce.ProduceService} and the values it
 * takes and returns; {@code ProducerStore} is the store of the {@code producer} table.
 *
 * <p>What a door calls (the HTTP door today, Kafka's protocol next):
 *
 * <ul>
 *   <li>{@code topic(name)}, {@code topic(name, partition)}: the topic a request names, or
 *       TOPIC_NOT_FOUND / PARTITION_NOT_FOUND, before the body is read.
 *   <li>{@code produce(topic, records, acks, producer, principal)}: records the door decoded
 *       ({@link io.rowstream.produce.ProduceRecord}), all written or none; with a
 *       {@code ProducerBatch}, as an idempotent producer (sequences, de-duplicated retries).
 *   <li>{@code appendBatch(topic, partition, records, acks, principal)}: a Kafka Produce's encoded
 *       v2 record batch for one partition, checked as Kafka's LogValidator checks it ({@code
 *       BatchValidator}: one batch, magic 2, CRC, count, size, timestamps, keys on a compacted
 *       topic, no control or transactional batch; nothing written when refused) and stored as sent
 *       (compressed again only when the topic names another codec; stamped with the commit's time
 *       on a LogAppendTime topic), through group commit, idempotent when its header carries a
 *       producer id. Only on the partition's leader (NOT_LEADER_OR_FOLLOWER elsewhere; never
 *       forwarded). Answers {@link io.rowstream.produce.AppendedBatch}: base offset, log append
 *       time, log start offset.
 *   <li>{@code produceEach(topic, records, acks, admit)}: a batch whose records succeed or fail
 *       alone ({@link io.rowstream.produce.PartialBatch}); the outcome of each record as a value
 *       ({@link io.rowstream.produce.RecordOutcome}). REST Proxy v3 {@code records:batch}.
 *   <li>{@code appendForwarded(...)}: the leader's side of a chunk another node forwarded.
 *   <li>{@code producers().create(principal)}, {@code producers().bump(...)}: Kafka's
 *       InitProducerId ({@link io.rowstream.produce.ProducerIdentity}).
 * </ul>
 */
package io.rowstream.produce;
