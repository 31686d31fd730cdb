package io.rowstream.kafka.groups;

import io.rowstream.support.KafkaClients;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** KafkaConsumers of KIP-848 groups ({@code group.protocol=consumer}) for the tests. */
final class GroupProtocolClients {
  private GroupProtocolClients() {}

  /** The settings of a KIP-848 member of {@code group} asking for the server assignor {@code assignor}. */
  static Map<String, Object> settings(String group, String assignor) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
    c.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    return c;
  }

  static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, Map<String, Object> settings) {
    return KafkaClients.consumer(bootstrap, new HashMap<>(settings));
  }
}
