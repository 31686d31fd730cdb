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

  /**
   * Client settings for SASL/PLAIN as {@code user} with {@code password} over {@code protocol}
   * (SASL_PLAINTEXT or SASL_SSL), as the README shows them.
   */
  public static Map<String, Object> saslPlain(String protocol, String user, String password) {
    return Map.of(
        "security.protocol",
        protocol,
        "sasl.mechanism",
        "PLAIN",
        "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
            + "\" password=\"" + password + "\";");
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
