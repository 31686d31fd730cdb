package io.rowstream.bench;

import java.time.Duration;
import java.util.Map;

/** Flags of {@link NodeScaling}. */
public record NodeScalingOptions(int maxNodes, int partitions, int clientsPerPartition, int recordBytes,
    int recordsPerRequest, Duration warmup, Duration duration) {

  static final String USAGE = """
      usage: NodeScaling [--nodes 3] [--partitions 6] [--clients-per-partition 1] [--record-bytes 1024]
                         [--records-per-request 1000] [--warmup-seconds 3] [--seconds 20]""";

  public static NodeScalingOptions parse(String[] args) {
    Map<String, String> flags = Cli.flags(args, USAGE);
    int nodes = Cli.integer(flags.remove("nodes"), "nodes", 3);
    int partitions = Cli.integer(flags.remove("partitions"), "partitions", 6);
    int clients = Cli.integer(flags.remove("clients-per-partition"), "clients-per-partition", 1);
    int recordBytes = Cli.integer(flags.remove("record-bytes"), "record-bytes", 1024);
    int perRequest = Cli.integer(flags.remove("records-per-request"), "records-per-request", 1000);
    int warmup = Cli.integer(flags.remove("warmup-seconds"), "warmup-seconds", 3);
    int seconds = Cli.integer(flags.remove("seconds"), "seconds", 20);
    if (!flags.isEmpty()) {
      throw new IllegalArgumentException("unknown flags " + flags.keySet() + "\n" + USAGE);
    }
    if (nodes < 1 || partitions < nodes || clients < 1 || recordBytes < 1 || perRequest < 1 || warmup < 0
        || seconds < 1) {
      throw new IllegalArgumentException("--nodes must be at least 1 and at most --partitions; --clients-per-partition, "
          + "--record-bytes, --records-per-request and --seconds at least 1; --warmup-seconds at least 0\n" + USAGE);
    }
    return new NodeScalingOptions(nodes, partitions, clients, recordBytes, perRequest, Duration.ofSeconds(warmup),
        Duration.ofSeconds(seconds));
  }
}
