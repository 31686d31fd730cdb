package io.rowstream.support;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * kafka-clients' own clients pointed at a node's Kafka listener, with timeouts short enough for
 * tests; {@code extra} settings win.
 */
public final class KafkaClients {
  private KafkaClients() {}

  public static Admin admin(String bootstrap) {
    return admin(bootstrap, Map.of());
  }

  public static Admin admin(String bootstrap, Map<String, Object> extra) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    p.putAll(extra);
    return Admin.create(p);
  }
}
