package io.rowstream.kafka.admin;

import io.rowstream.kafka.KafkaApis;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.services.BrokerServices;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;

/**
 * The administration APIs over Kafka's protocol: topics, partitions, configs and the cluster, on the
 * services the HTTP door uses. Every version kafka-clients 4.4 parses is served: each handler
 * implements what each version adds (CreateTopics v5 configs, v7 ids; DeleteTopics v6 ids;
 * DescribeConfigs v3 types and documentation; DescribeCluster v1 endpoint type, v2 fenced flag).
 */
public final class AdminApis {
  private AdminApis() {}

  public static void serve(KafkaApis apis, BrokerServices services, KafkaErrors errors) {
    apis.serve(
        ApiKeys.CREATE_TOPICS,
        2,
        7,
        CreateTopicsRequest.class,
        new CreateTopicsHandler(services.topicAdmin(), errors));
    apis.serve(
        ApiKeys.DELETE_TOPICS,
        1,
        6,
        DeleteTopicsRequest.class,
        new DeleteTopicsHandler(services.topicAdmin(), services.topics(), errors));
    apis.serve(
        ApiKeys.CREATE_PARTITIONS,
        0,
        3,
        CreatePartitionsRequest.class,
        new CreatePartitionsHandler(services.topicAdmin(), errors));
    apis.serve(
        ApiKeys.DESCRIBE_CONFIGS,
        1,
        4,
        DescribeConfigsRequest.class,
        new DescribeConfigsHandler(
            services.topics(), services.topicAdmin(), services.brokers(), errors));
    apis.serve(
        ApiKeys.ALTER_CONFIGS,
        0,
        2,
        AlterConfigsRequest.class,
        new AlterConfigsHandler(services.topicAdmin(), services.brokers(), errors));
    apis.serve(
        ApiKeys.INCREMENTAL_ALTER_CONFIGS,
        0,
        1,
        IncrementalAlterConfigsRequest.class,
        new IncrementalAlterConfigsHandler(services.topicAdmin(), services.brokers(), errors));
    apis.serve(
        ApiKeys.DESCRIBE_CLUSTER,
        0,
        2,
        DescribeClusterRequest.class,
        new DescribeClusterHandler(services.brokers(), services.clusterId()));
  }
}
