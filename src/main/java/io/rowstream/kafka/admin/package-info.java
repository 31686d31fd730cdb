/**
 * Kafka's administration APIs on the Kafka door: CreateTopics, DeleteTopics, CreatePartitions,
 * DescribeConfigs, AlterConfigs, IncrementalAlterConfigs and DescribeCluster, registered by
 * {@link io.rowstream.kafka.admin.AdminApis#serve}.
 *
 * <p>Each handler authorizes as Kafka does, calls {@code topic.TopicAdmin} / {@code
 * topic.TopicService} (which hold every rule, shared with the HTTP door) and renders the answer
 * per topic or resource, each on its own, its error from the door's one mapping
 * ({@code ResultError}, {@code kafka.KafkaErrors}). Configs are rendered from the core's catalogue
 * ({@code TopicConfig}, {@code BrokerConfigs}); the BROKER resource with the empty name is the
 * cluster-wide defaults ({@code BrokerResource}). DescribeCluster shares Metadata's view of the
 * nodes ({@code kafka.KafkaNodes}).
 *
 * <p>May use what {@code io.rowstream.kafka} may use; never a store or the database.
 */
package io.rowstream.kafka.admin;
