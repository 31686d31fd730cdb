package io.rowstream;

import io.rowstream.cluster.BrokerRegistry;
import io.rowstream.cluster.LeaderView;
import io.rowstream.cluster.PartitionLeaders;
import io.rowstream.consumer.ConsumerService;
import io.rowstream.db.Database;
import io.rowstream.group.GroupInspector;
import io.rowstream.log.PartitionLog;
import io.rowstream.produce.ProduceService;
import io.rowstream.topic.TopicAdmin;
import io.rowstream.topic.TopicCache;
import io.rowstream.topic.TopicStore;
import java.util.Optional;

/**
 * What the HTTP layer serves from: the node's identity and the broker's capabilities.
 *
 * @param advertisedUrl configured base URL of this node for {@code base_uri} and v3 {@code self} links;
 *     empty: links use the host of the request they answer, as the REST Proxy does
 */
public record BrokerServices(
    int nodeId,
    String clusterId,
    Optional<String> advertisedUrl,
    Database database,
    BrokerRegistry brokers,
    TopicStore topics,
    TopicCache topicCache,
    PartitionLog log,
    ProduceService produce,
    TopicAdmin topicAdmin,
    PartitionLeaders leaders,
    ConsumerService consumers,
    GroupInspector groups,
    LeaderView leaderView) {}
