package io.rowstream.kafka.admin;

import io.rowstream.cluster.BrokerRegistry;
import io.rowstream.error.BrokerException;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import io.rowstream.topic.BrokerConfigs;
import io.rowstream.topic.BrokerSynonym;
import io.rowstream.topic.ClusterDefaults;
import io.rowstream.topic.ConfigRule;
import io.rowstream.topic.ConfigSynonym;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicAdmin;
import io.rowstream.topic.TopicConfig;
import io.rowstream.topic.TopicName;
import io.rowstream.topic.TopicService;
import java.util.List;
import java.util.OptionalInt;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsRequest;

/**
 * DescribeConfigs of topics and brokers, from the core's config catalogue, as the HTTP door lists
 * them: a topic's every config with its value, source (TOPIC_CONFIG, DYNAMIC_DEFAULT_BROKER_CONFIG,
 * DEFAULT_CONFIG) and, when asked, its synonyms and Kafka's documentation; from v3 its type. The
 * broker resource with the empty name is the cluster-wide default: the broker configs set there
 * (as Kafka lists its dynamic defaults); a broker id lists every broker config Rowstream knows,
 * read-only, since no broker has configs of its own. The caller needs DESCRIBE_CONFIGS on the topic
 * (TOPIC_AUTHORIZATION_FAILED) or on the cluster for brokers (CLUSTER_AUTHORIZATION_FAILED). Other
 * resource types are INVALID_REQUEST. A null or empty key list means every config; unknown keys
 * are left out, as Kafka does.
 */
final class DescribeConfigsHandler implements ApiHandler<DescribeConfigsRequest> {
  private static final String DURING = "DescribeConfigs";
  private final TopicService topics;
  private final TopicAdmin admin;
  private final BrokerRegistry brokers;
  private final KafkaErrors errors;

  DescribeConfigsHandler(
      TopicService topics, TopicAdmin admin, BrokerRegistry brokers, KafkaErrors errors) {
    this.topics = topics;
    this.admin = admin;
    this.brokers = brokers;
    this.errors = errors;
  }

  /** What the request asks to include. */
  private record Asked(List<String> keys, boolean synonyms, boolean documentation, short version) {
    boolean wants(String name) {
      return keys == null || keys.isEmpty() || keys.contains(name);
    }
  }

  @Override
  public ApiMessage handle(DescribeConfigsRequest request, KafkaSession session) {
    Caller caller = session.caller();
    DescribeConfigsRequestData data = request.data();
    DescribeConfigsResponseData response = new DescribeConfigsResponseData();
    for (DescribeConfigsResource resource : data.resources()) {
      Asked asked = new Asked(
          resource.configurationKeys(),
          data.includeSynonyms(),
          data.includeDocumentation(),
          request.version());
      DescribeConfigsResult result = new DescribeConfigsResult()
          .setResourceType(resource.resourceType())
          .setResourceName(resource.resourceName())
          .setErrorCode(Errors.NONE.code());
      try {
        switch (ConfigResource.Type.forId(resource.resourceType())) {
          case TOPIC -> describeTopic(resource.resourceName(), caller, asked, result);
          case BROKER -> describeBroker(resource.resourceName(), caller, asked, result);
          default -> throw BrokerResource.unsupported(resource.resourceType(), "describes");
        }
      } catch (BrokerException e) {
        ResultError error = ResultError.of(errors, e, DURING);
        result
            .setErrorCode(error.code())
            .setErrorMessage(error.message())
            .configs()
            .clear();
      }
      response.results().add(result);
    }
    return response;
  }

  private void describeTopic(String name, Caller caller, Asked asked, DescribeConfigsResult out) {
    caller.require(Acl.Operation.DESCRIBE_CONFIGS, Acl.ResourceType.TOPIC, name);
    Topic topic = topics.require(TopicName.requireLegal(name));
    for (TopicConfig c : TopicConfig.sortedByName()) {
      if (asked.wants(c.kafkaName())) {
        out.configs()
            .add(entry(c, topic.config(c), topic.source(c), topic.synonyms(c), false, asked));
      }
    }
  }

  private void describeBroker(String name, Caller caller, Asked asked, DescribeConfigsResult out) {
    caller.require(Acl.Operation.DESCRIBE_CONFIGS, Acl.ResourceType.CLUSTER, Acl.CLUSTER_NAME);
    OptionalInt broker = BrokerResource.parse(name, brokers);
    ClusterDefaults defaults = admin.clusterDefaults();
    for (BrokerSynonym c : BrokerConfigs.sortedByName()) {
      if (asked.wants(c.name()) && (broker.isPresent() || defaults.isSet(c))) {
        out.configs()
            .add(entry(
                c,
                defaults.value(c),
                defaults.source(c),
                defaults.synonyms(c),
                broker.isPresent(),
                asked));
      }
    }
  }

  private static DescribeConfigsResourceResult entry(
      ConfigRule config,
      String value,
      ConfigSynonym.Source source,
      List<ConfigSynonym> synonyms,
      boolean readOnly,
      Asked asked) {
    DescribeConfigsResourceResult entry = new DescribeConfigsResourceResult()
        .setName(config.configName())
        .setValue(value)
        .setReadOnly(readOnly)
        .setConfigSource(KafkaConfigs.source(source))
        .setIsSensitive(false);
    if (asked.synonyms()) {
      for (ConfigSynonym s : synonyms) {
        entry
            .synonyms()
            .add(new DescribeConfigsSynonym()
                .setName(s.name())
                .setValue(s.value())
                .setSource(KafkaConfigs.source(s.source())));
      }
    }
    if (asked.version() >= 3) {
      entry.setConfigType(KafkaConfigs.type(config.type()));
      if (asked.documentation()) {
        entry.setDocumentation(config.documentation());
      }
    }
    return entry;
  }
}
