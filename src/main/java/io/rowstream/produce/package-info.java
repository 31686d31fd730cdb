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
 *       {@code ProducerBatch}, as an idempotent producer (sequences, de-duplicated retries). A
 *       Kafka Produce request decodes its v2 batch with {@code log.RecordBatchCodec.decode}, as the
 *       forwarding door does, and calls this.
 *   <li>{@code produceEach(topic, records, acks, admit)}: a batch whose records succeed or fail
 *       alone ({@link io.rowstream.produce.PartialBatch}); the outcome of each record as a value
 *       ({@link io.rowstream.produce.RecordOutcome}). REST Proxy v3 {@code records:batch}.
 *   <li>{@code appendForwarded(...)}: the leader's side of a chunk another node forwarded.
 *   <li>{@code producers().create(principal)}, {@code producers().bump(...)}: Kafka's
 *       InitProducerId ({@link io.rowstream.produce.ProducerIdentity}).
 * </ul>
 *
 * <p>Not yet a service call: storing a client's already-encoded batch byte for byte (today a
 * batch is decoded and re-encoded as one chunk per partition).
 */
package io.rowstream.produce;
