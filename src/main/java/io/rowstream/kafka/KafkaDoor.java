package io.rowstream.kafka;

import io.rowstream.kafka.admin.AdminApis;
import io.rowstream.kafka.auth.AuthApis;
import io.rowstream.kafka.groups.GroupApis;
import io.rowstream.kafka.records.RecordApis;
import io.rowstream.services.BrokerServices;
import io.rowstream.services.OpsServices;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.MetadataRequest;

/**
 * Kafka's binary protocol as a door on the broker's services: the table of APIs this node serves
 * and their handlers. Each handler parses nothing itself (kafka-clients' generated classes did),
 * authorizes with the connection's caller, calls services and renders their answer.
 */
public final class KafkaDoor {
  private KafkaDoor() {}

  /**
   * Every API served, with its versions (what ApiVersions advertises). Each area registers its
   * APIs with one call here; {@code errors} is the door's one mapping of failures to Kafka errors,
   * for handlers that answer per topic or partition.
   */
  public static KafkaApis apis(BrokerServices services, OpsServices ops, KafkaErrors errors) {
    KafkaApis apis = new KafkaApis();
    apis.serve(
        ApiKeys.API_VERSIONS,
        0,
        ApiKeys.API_VERSIONS.latestVersion(),
        ApiVersionsRequest.class,
        new ApiVersionsHandler(apis));
    apis.serve(
        ApiKeys.METADATA,
        0,
        ApiKeys.METADATA.latestVersion(),
        MetadataRequest.class,
        new MetadataHandler(
            services.brokers(),
            services.clusterId(),
            services.topics(),
            services.leaders(),
            services.topicAdmin(),
            errors));
    AdminApis.serve(apis, services, errors);
    AuthApis.serve(apis, ops.security());
    RecordApis.serve(apis, services, errors);
    GroupApis.serve(apis, services, errors);
    return apis;
  }
}
