/**
 * Kafka's binary protocol as a second door on the broker's services, beside HTTP.
 *
 * <p>The path of a request: {@link io.rowstream.kafka.KafkaListener} accepts a connection, sets
 * up its {@link io.rowstream.kafka.KafkaTransport} (plain TCP, or TLS with perhaps a client
 * certificate: {@code kafka.auth.TlsTransport}) and serves it on a virtual thread of its own ({@code KafkaConnection}: read a length-prefixed frame,
 * answer it, write the response, one request at a time, so responses leave in request order, as
 * Kafka's socket server has it); {@code RequestDispatcher} decodes the header and body with
 * kafka-clients' generated message classes (no hand-written layouts), checks the API and version
 * against {@link io.rowstream.kafka.KafkaApis} (the one table of what is served, which ApiVersions
 * advertises), runs the API's {@link io.rowstream.kafka.ApiHandler}, and encodes its response at
 * the request's version. A handler authorizes with its connection's
 * {@link io.rowstream.kafka.KafkaSession} caller, calls services and renders their values; a
 * failure is a {@code BrokerException}, answered with the Kafka error the one error table gives it
 * ({@link io.rowstream.kafka.KafkaErrors}). {@link io.rowstream.kafka.KafkaDoor} lists the APIs
 * and their handlers.
 *
 * <p>The handlers, by area: this package serves ApiVersions and Metadata; {@code kafka.records}
 * Produce, Fetch, ListOffsets and InitProducerId (on {@code produce.ProduceService.appendBatch} and
 * {@code log.PartitionLog.fetchBatches}: batches stored and handed out as the client sent them);
 * {@code kafka.admin} topics, partitions, configs and DescribeCluster (on {@code topic.TopicAdmin});
 * {@code kafka.auth} SASL, the TLS transport and the ACL APIs (on {@code security});
 * {@code kafka.groups} FindCoordinator, OffsetCommit and OffsetFetch (on {@code group.GroupOffsets}),
 * ListGroups, DescribeGroups, DeleteGroups and OffsetDelete (on {@code group.GroupInspector},
 * {@code group.GroupAdmin} and {@code group.GroupOffsets}).
 * Each area
 * registers its APIs with one call in {@code KafkaDoor}.
 *
 * <p>Closed connections, as Kafka closes them: a frame over the size limit, an unreadable header
 * or body, an API or version not served (ApiVersions excepted: KIP-511's v0 answer), a request
 * other than ApiVersions and SASL before authentication when it is required, a failed TLS handshake
 * or SASL authentication ({@code io.rowstream.kafka.auth}).
 *
 * <p>May use: {@code services} and the service packages' values, {@code tls} (the listener's TLS), {@code security} ({@code Caller},
 * {@code Principal}), {@code error}, {@code config}, {@code logging}; never a store, {@code db},
 * jOOQ or JDBC ({@code ArchitectureTest}).
 */
package io.rowstream.kafka;
