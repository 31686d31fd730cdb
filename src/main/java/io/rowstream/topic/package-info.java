/**
 * Topics, their partitions' rows and their configs (Kafka's names, cluster-wide defaults).
 * {@code TopicStore} and {@code ClusterConfigStore} hold the SQL; {@link io.rowstream.topic.TopicCache}
 * keeps recently read topics for the hot paths.
 *
 * <p>What a door calls:
 *
 * <ul>
 *   <li>{@link io.rowstream.topic.TopicService}: {@code list()}, {@code require(name)},
 *       {@code partitions(topic)}, {@code partition(topic, p)} (log start and end offsets, leader,
 *       epoch): Kafka's Metadata and ListOffsets for earliest and latest, REST v2 metadata and v3 topics.
 *   <li>{@link io.rowstream.topic.TopicAdmin}: {@code create}, {@code delete},
 *       {@code addPartitions}, {@code alterConfigs} (one topic or several at once, or only
 *       validated), {@code clusterDefaults} and {@code alterClusterDefaults}: Kafka's
 *       CreateTopics, DeleteTopics, CreatePartitions, DescribeConfigs and IncrementalAlterConfigs.
 *       {@code create} and the several-topic {@code alterConfigs} take the {@code security.Caller}
 *       and check what the request names (CREATE on the cluster or the topic; ALTER_CONFIGS on
 *       each topic) before anything else. Config changes are SET, DELETE, and for list configs
 *       APPEND and SUBTRACT (Kafka's IncrementalAlterConfigs); {@code replaceConfigs} and
 *       {@code replaceClusterDefaults} are Kafka's legacy AlterConfigs (the given configs become
 *       the only ones set); {@code autoCreate} is Metadata's topic auto-creation, only while the
 *       cluster-wide {@code auto.create.topics.enable} ({@link io.rowstream.topic.BrokerConfigs})
 *       is true.
 *   <li>The config catalogue: {@link io.rowstream.topic.TopicConfig} and
 *       {@link io.rowstream.topic.BrokerConfigs}, each config with its check, built-in default,
 *       {@link io.rowstream.topic.ConfigType} and Kafka's documentation, which both doors render.
 * </ul>
 */
package io.rowstream.topic;
