package io.rowstream.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Decides this node's broker id: the configured one, else the id remembered in the data
 * directory ({@code node.id}, like Kafka's meta.properties), else a new one from the database,
 * remembered for the next start.
 */
public final class NodeIdentity {
  static final String FILE = "node.id";

  private NodeIdentity() {}

  public static int resolve(OptionalInt configured, Path dataDir, BrokerRegistry registry) {
    if (configured.isPresent()) {
      return configured.getAsInt();
    }
    Path file = dataDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        return Integer.parseInt(Files.readString(file).trim());
      }
      int id = registry.allocateNodeId();
      Files.createDirectories(dataDir);
      Files.writeString(file, id + "\n");
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read or write the node id in " + file, e);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(file + " does not hold a broker id", e);
    }
  }
}
