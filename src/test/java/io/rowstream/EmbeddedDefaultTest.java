package io.rowstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.NodeConfigParser;
import io.rowstream.support.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With no database URL a node runs its own PostgreSQL, whose data survives the node's restart. */
class EmbeddedDefaultTest {

  @Test
  void a_node_without_a_database_url_keeps_its_data_in_the_data_directory_across_restarts()
      throws Exception {
    Path dataDir = Files.createTempDirectory(
        Path.of(System.getProperty("java.io.tmpdir")), "embedded-default");
    var config = NodeConfigParser.parse(Map.of(), new String[] {
      "--data-dir", dataDir.toString(), "--http-port", "0", "--embedded-db-port", "0"
    });
    int nodeId;
    try (RowstreamNode node = RowstreamNode.start(config)) {
      nodeId = node.services().nodeId();
      // Acknowledged means durable: the embedded server must not run with zonky's test defaults.
      var settings = node.database()
          .dsl()
          .fetch(
              "select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes')");
      settings.forEach(row ->
          assertThat(row.get(1, String.class)).as(row.get(0, String.class)).isEqualTo("on"));
      assertThat(settings).hasSize(3);
      assertThat(nodeId).isGreaterThan(1000);
      node.services().topics().create("kept", 1, 1, Map.of());
      var produced = new TestHttp(node.baseUrl())
          .post(
              "/topics/kept",
              TestHttp.BINARY,
              TestHttp.json(Map.of("records", List.of(Map.of("value", "c3RpbGwgaGVyZQ==")))));
      assertThat(produced.status()).as(produced.body()).isEqualTo(200);
    }
    assertThat(dataDir.resolve("postgres").resolve("PG_VERSION")).exists();

    try (RowstreamNode node = RowstreamNode.start(config)) {
      assertThat(node.services().nodeId()).as("the allocated id is remembered").isEqualTo(nodeId);
      var read = new TestHttp(node.baseUrl())
          .get("/topics/kept/partitions/0/records?offset=0", "Accept", TestHttp.BINARY);
      assertThat(read.json().get(0).get("value").asText()).isEqualTo("c3RpbGwgaGVyZQ==");
    }
  }
}
