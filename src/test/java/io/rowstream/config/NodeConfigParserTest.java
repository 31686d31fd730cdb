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
  }

  @Test
  void flags_win_over_environment_variables_in_both_flag_spellings() {
    NodeConfig config = NodeConfigParser.parse(
        Map.of("ROWSTREAM_HTTP_PORT", "9000", "ROWSTREAM_DB_URL", "jdbc:postgresql://db/x", "ROWSTREAM_NODE_ID", "4"),
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
    assertThatThrownBy(() -> NodeConfigParser.parse(Map.of("ROWSTREAM_HTTP_PORT", "eighty"), new String[0]))
        .hasMessageContaining("ROWSTREAM_HTTP_PORT must be an integer");
    assertThatThrownBy(() -> NodeConfigParser.parse(Map.of(), new String[] {"--node-id", "5000"}))
        .hasMessageContaining("node id must be 0..1000");
    assertThatThrownBy(() -> NodeConfigParser.parse(Map.of(), new String[] {"--http-port"}))
        .hasMessageContaining("needs a value");
  }
}
