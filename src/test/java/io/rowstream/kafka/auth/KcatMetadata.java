package io.rowstream.kafka.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * kcat (librdkafka) listing a node's metadata ({@code kcat -L -J}) with librdkafka settings, for
 * interoperability tests of SASL and TLS with a client that is not Java's. kcat must be installed
 * ({@code .ci/run} installs it).
 */
final class KcatMetadata {
  private KcatMetadata() {}

  /** What {@code kcat -L} ended with: its exit status and the topics it listed. */
  record Listing(int exitStatus, List<String> topics, String errors) {}

  static Listing list(String bootstrap, Map<String, String> settings) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("kcat", "-b", bootstrap, "-L", "-J", "-m", "10"));
    settings.forEach((k, v) -> command.addAll(List.of("-X", k + "=" + v)));
    Process kcat = new ProcessBuilder(command).start();
    kcat.getOutputStream().close();
    byte[] out = kcat.getInputStream().readAllBytes();
    String errors = new String(kcat.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(kcat.waitFor(60, TimeUnit.SECONDS)).as("kcat ended").isTrue();
    List<String> topics = new ArrayList<>();
    if (kcat.exitValue() == 0) {
      JsonNode listing = new ObjectMapper().readTree(out);
      listing.get("topics").forEach(t -> topics.add(t.get("topic").asText()));
    }
    return new Listing(kcat.exitValue(), topics, errors);
  }
}
