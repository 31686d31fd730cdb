package io.rowstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeConfigParserTest {

  @Test
  void defaults_apply_when_nothing_is_set() {
    NodeConfig config = NodeConfigParser.parse(Map.of(), new String[0]);
    assertThat(config.dbUrl()).isEmpty();
    assertThat(config.httpPort()).isEqualTo(8082);
    assertThat(config.dataDir()).isEqualTo(Path.of("rowstream-data"));
    assertThat(config.nodeId()).isEmpty();
    assertThat(config.embeddedDbPort()).isEqualTo(54329);
    assertThat(config.httpHost()).isEmpty();
  }

  @Test
  void the_kafka_listener_is_on_port_9092_unless_moved_or_turned_off() {
    KafkaListenerConfig defaults =
        NodeConfigParser.parse(Map.of(), new String[0]).kafka();
    assertThat(defaults.port()).contains(9092);
    assertThat(defaults.advertised()).isEmpty();
    assertThat(defaults.requests().maxBytes()).isEqualTo(104_857_600);
    assertThat(NodeConfigParser.parse(Map.of("ROWSTREAM_KAFKA_PORT", "none"), new String[0])
            .kafka()
            .enabled())
        .isFalse();
    KafkaListenerConfig set = NodeConfigParser.parse(
            Map.of("ROWSTREAM_KAFKA_ADVERTISED", "kafka-1.example:19092"),
            new String[] {"--kafka-port", "0"})
        .kafka();
    assertThat(set.port()).contains(0);
    assertThat(set.advertised()).contains("kafka-1.example:19092");
    assertThatThrownBy(() ->
            NodeConfigParser.parse(Map.of("ROWSTREAM_KAFKA_ADVERTISED", "no-port"), new String[0]))
        .hasMessageContaining("ROWSTREAM_KAFKA_ADVERTISED must be host:port");
    assertThatThrownBy(
            () -> NodeConfigParser.parse(Map.of("ROWSTREAM_KAFKA_PORT", "70000"), new String[0]))
        .hasMessageContaining("Kafka port must be 0..65535 or none");
  }

  @Test
  void a_classic_members_session_timeout_is_bounded_as_kafkas_group_min_and_max_bound_it() {
    KafkaListenerConfig.GroupSessions defaults =
        NodeConfigParser.parse(Map.of(), new String[0]).kafka().groups();
    assertThat(defaults.classicMinSessionTimeoutMs()).isEqualTo(6_000);
    assertThat(defaults.classicMaxSessionTimeoutMs()).isEqualTo(1_800_000);
    KafkaListenerConfig.GroupSessions set = NodeConfigParser.parse(
            Map.of("ROWSTREAM_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", "1000"),
            new String[] {"--kafka-group-max-session-timeout-ms", "60000"})
        .kafka()
        .groups();
    assertThat(set.classicMinSessionTimeoutMs()).isEqualTo(1_000);
    assertThat(set.classicMaxSessionTimeoutMs()).isEqualTo(60_000);
    assertThatThrownBy(() -> NodeConfigParser.parse(
            Map.of(
                "ROWSTREAM_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", "9000",
                "ROWSTREAM_KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS", "8000"),
            new String[0]))
        .hasMessageContaining("the maximum at least the minimum");
  }

  @Test
  void sasl_plain_without_tls_is_refused_unless_a_setting_allows_it() {
    assertThat(NodeConfigParser.parse(Map.of(), new String[0]).kafka().saslPlainWithoutTls())
        .isFalse();
    assertThat(NodeConfigParser.parse(
                Map.of(), new String[] {"--kafka-sasl-plain-without-tls", "true"})
            .kafka()
            .saslPlainWithoutTls())
        .isTrue();
    assertThatThrownBy(() -> NodeConfigParser.parse(
            Map.of("ROWSTREAM_KAFKA_SASL_PLAIN_WITHOUT_TLS", "yes"), new String[0]))
        .hasMessageContaining("ROWSTREAM_KAFKA_SASL_PLAIN_WITHOUT_TLS must be true or false");
  }

  @Test
  void the_listener_binds_loopback_without_authentication_unless_a_host_is_set() {
    assertThat(NodeConfigParser.parse(Map.of(), new String[0]).bindHost()).isEqualTo("127.0.0.1");
    assertThat(NodeConfigParser.parse(Map.of("ROWSTREAM_AUTH_ENABLED", "true"), new String[0])
            .bindHost())
        .isEqualTo(NodeConfig.ALL_INTERFACES);
    assertThat(NodeConfigParser.parse(Map.of("ROWSTREAM_HTTP_HOST", "0.0.0.0"), new String[0])
            .bindHost())
        .isEqualTo("0.0.0.0");
    assertThat(NodeConfigParser.parse(
                Map.of("ROWSTREAM_AUTH_ENABLED", "true"), new String[] {"--http-host", "10.1.2.3"})
            .bindHost())
        .isEqualTo("10.1.2.3");
  }

  @Test
  void
      the_consumer_instance_timeout_is_five_minutes_unless_set_and_its_former_name_is_still_read() {
    assertThat(NodeConfigParser.parse(Map.of(), new String[0]).consumerInstanceTimeoutMs())
        .isEqualTo(300_000);
    assertThat(NodeConfigParser.parse(
                Map.of("ROWSTREAM_CONSUMER_INSTANCE_TIMEOUT_MS", "60000"), new String[0])
            .consumerInstanceTimeoutMs())
        .isEqualTo(60_000);
    assertThat(NodeConfigParser.parse(
                Map.of("ROWSTREAM_CONSUMER_SESSION_TIMEOUT_MS", "45000"), new String[0])
            .consumerInstanceTimeoutMs())
        .isEqualTo(45_000);
    assertThat(NodeConfigParser.parse(
                Map.of("ROWSTREAM_CONSUMER_SESSION_TIMEOUT_MS", "45000"),
                new String[] {"--consumer-instance-timeout-ms", "90000"})
            .consumerInstanceTimeoutMs())
        .isEqualTo(90_000);
    assertThatThrownBy(() -> NodeConfigParser.parse(
            Map.of("ROWSTREAM_CONSUMER_INSTANCE_TIMEOUT_MS", "100"), new String[0]))
        .hasMessageContaining("consumer instance timeout must be 500..1800000 ms");
  }

  @Test
  void flags_win_over_environment_variables_in_both_flag_spellings() {
    NodeConfig config = NodeConfigParser.parse(
        Map.of(
            "ROWSTREAM_HTTP_PORT",
            "9000",
            "ROWSTREAM_DB_URL",
            "jdbc:postgresql://db/x",
            "ROWSTREAM_NODE_ID",
            "4"),
        new String[] {"--http-port", "9100", "--advertised-url=http://edge:9100"});
    assertThat(config.httpPort()).isEqualTo(9100);
    assertThat(config.dbUrl()).contains("jdbc:postgresql://db/x");
    assertThat(config.nodeId()).hasValue(4);
    assertThat(config.advertisedUrl()).contains("http://edge:9100");
  }

  @Test
  void unknown_flags_and_malformed_values_are_refused_with_a_clear_message() {
    assertThatThrownBy(() -> NodeConfigParser.parse(Map.of(), new String[] {"--no-such", "1"}))
        .hasMessageContaining("unknown flag --no-such");
    assertThatThrownBy(
            () -> NodeConfigParser.parse(Map.of("ROWSTREAM_HTTP_PORT", "eighty"), new String[0]))
        .hasMessageContaining("ROWSTREAM_HTTP_PORT must be an integer");
    assertThatThrownBy(() -> NodeConfigParser.parse(Map.of(), new String[] {"--node-id", "5000"}))
        .hasMessageContaining("node id must be 0..1000");
    assertThatThrownBy(() -> NodeConfigParser.parse(Map.of(), new String[] {"--http-port"}))
        .hasMessageContaining("needs a value");
  }

  @Test
  void security_and_operations_settings_are_read_and_checked() {
    NodeConfig config = NodeConfigParser.parse(
        Map.of(
            "ROWSTREAM_AUTH_ENABLED",
            "true",
            "ROWSTREAM_SUPER_USERS",
            "User:admin;User:ops",
            "ROWSTREAM_PRODUCE_BYTE_RATE",
            "1048576",
            "ROWSTREAM_AUTH_FAILURE_LIMIT",
            "3",
            "ROWSTREAM_AUTH_FAILURE_BACKOFF_MS",
            "500",
            "ROWSTREAM_AUTH_MAX_CONCURRENT_PASSWORD_CHECKS",
            "2"),
        new String[] {"--shutdown-timeout-ms", "5000", "--max-records-per-request", "500"});
    assertThat(config.ops().auth().enabled()).isTrue();
    assertThat(config.ops().auth().superUsers())
        .containsExactlyInAnyOrder("User:admin", "User:ops");
    assertThat(config.ops().limits().produceByteRate()).isEqualTo(1_048_576);
    assertThat(config.ops().auth().failures())
        .isEqualTo(new OpsConfig.AuthFailures(
            3,
            java.time.Duration.ofMinutes(1),
            java.time.Duration.ofMillis(500),
            java.time.Duration.ofMinutes(10),
            2));
    assertThat(config.ops().limits().maxRecordsPerRequest()).isEqualTo(500);
    assertThat(config.ops().shutdown().timeout().toMillis()).isEqualTo(5000);
    assertThat(NodeConfigParser.parse(Map.of(), new String[0]).ops())
        .isEqualTo(OpsConfig.defaults());
    assertThatThrownBy(
            () -> NodeConfigParser.parse(Map.of("ROWSTREAM_AUTH_ENABLED", "yes"), new String[0]))
        .hasMessageContaining("true or false");
    assertThatThrownBy(
            () -> NodeConfigParser.parse(Map.of("ROWSTREAM_SUPER_USERS", "admin"), new String[0]))
        .hasMessageContaining("User:alice");
    assertThatThrownBy(() -> NodeConfigParser.parse(
            Map.of("ROWSTREAM_AUTH_FAILURE_BACKOFF_MS", "900000"), new String[0]))
        .hasMessageContaining("longest backoff");
    assertThatThrownBy(
            () -> NodeConfigParser.parse(Map.of("ROWSTREAM_TLS_CERT", "/c.pem"), new String[0]))
        .hasMessageContaining("private key");
    assertThatThrownBy(() -> NodeConfigParser.parse(
            Map.of("ROWSTREAM_TLS_KEYSTORE", "/k.p12", "ROWSTREAM_TLS_CLIENT_AUTH", "need"),
            new String[0]))
        .hasMessageContaining("trust store");
  }

  @Test
  void client_certificate_principal_mapping_rules_are_kafkas_and_checked_at_start() {
    assertThat(NodeConfigParser.parse(Map.of(), new String[0]).ops().tls().principalMappingRules())
        .isEqualTo("DEFAULT");
    String rules = "RULE:^O=[^,]*,CN=([^,]+)$/$1/L,DEFAULT";
    assertThat(NodeConfigParser.parse(
                Map.of("ROWSTREAM_TLS_PRINCIPAL_MAPPING_RULES", rules), new String[0])
            .ops()
            .tls()
            .principalMappingRules())
        .isEqualTo(rules);
    assertThatThrownBy(() -> NodeConfigParser.parse(
            Map.of("ROWSTREAM_TLS_PRINCIPAL_MAPPING_RULES", "RULE:oops"), new String[0]))
        .hasMessageContaining("ROWSTREAM_TLS_PRINCIPAL_MAPPING_RULES");
  }

  @Test
  void the_fetch_bytes_in_flight_default_to_256_mib_and_must_be_positive() {
    assertThat(
            NodeConfigParser.parse(Map.of(), new String[0]).ops().limits().maxFetchBytesInFlight())
        .isEqualTo(256L * 1024 * 1024);
    assertThat(NodeConfigParser.parse(
                Map.of("ROWSTREAM_MAX_FETCH_BYTES_IN_FLIGHT", "1048576"), new String[0])
            .ops()
            .limits()
            .maxFetchBytesInFlight())
        .isEqualTo(1_048_576);
    assertThatThrownBy(() -> NodeConfigParser.parse(
            Map.of("ROWSTREAM_MAX_FETCH_BYTES_IN_FLIGHT", "0"), new String[0]))
        .hasMessageContaining("max fetch bytes in flight");
  }

  @Test
  void consumer_caps_are_read_from_their_settings_and_checked() {
    NodeConfig config = NodeConfigParser.parse(
        Map.of("ROWSTREAM_MAX_CONSUMERS_PER_PRINCIPAL", "50"),
        new String[] {"--max-groups-per-principal", "7"});
    assertThat(config.ops().limits().maxConsumersPerPrincipal()).isEqualTo(50);
    assertThat(config.ops().limits().maxGroupsPerPrincipal()).isEqualTo(7);
    assertThat(config.ops().limits().maxConsumersPerGroup()).isEqualTo(1_000);
    assertThatThrownBy(() -> NodeConfigParser.parse(
            Map.of("ROWSTREAM_MAX_GROUPS_PER_PRINCIPAL", "0"), new String[0]))
        .hasMessageContaining("max groups per principal must be at least 1");
  }
}
