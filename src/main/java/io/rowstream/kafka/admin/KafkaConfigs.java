package io.rowstream.kafka.admin;

import io.rowstream.topic.ConfigSynonym;
import io.rowstream.topic.ConfigType;
import org.apache.kafka.common.requests.DescribeConfigsResponse;

/**
 * Rowstream's config sources and types as Kafka's protocol codes them
 * ({@code DescribeConfigsResponse.ConfigSource} and {@code ConfigType}).
 */
final class KafkaConfigs {
  private KafkaConfigs() {}

  static byte source(ConfigSynonym.Source source) {
    return switch (source) {
      case DYNAMIC_TOPIC_CONFIG -> DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG.id();
      case DYNAMIC_DEFAULT_BROKER_CONFIG ->
        DescribeConfigsResponse.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.id();
      case DEFAULT_CONFIG -> DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG.id();
    };
  }

  static byte type(ConfigType type) {
    return DescribeConfigsResponse.ConfigType.valueOf(type.name()).id();
  }
}
