package io.rowstream.bench;

import java.util.Map;
import java.util.Optional;

/**
 * Flags of {@link RebalanceTime}. Without {@code --url} it starts a node in this JVM with the
 * given session timeout and reaper interval; with {@code --url} the node's own reaper interval
 * applies ({@code ROWSTREAM_GROUP_REAPER_INTERVAL_MS}) and {@code --reaper-interval-ms} is refused.
 */
public record RebalanceOptions(Optional<String> url, int sessionTimeoutMs, Optional<Integer> reaperIntervalMs,
    int runs) {

  static final int DEFAULT_SESSION_TIMEOUT_MS = 10_000;
  static final int DEFAULT_REAPER_INTERVAL_MS = 1_000;
  static final String USAGE = """
      usage: RebalanceTime [--url http://host:8082] [--session-timeout-ms 10000]
                           [--reaper-interval-ms 1000 (only without --url)] [--runs 5]""";

  public static RebalanceOptions parse(String[] args) {
    Map<String, String> flags = Cli.flags(args, USAGE);
    Optional<String> url = Optional.ofNullable(flags.remove("url"));
    int session = Cli.integer(flags.remove("session-timeout-ms"), "session-timeout-ms", DEFAULT_SESSION_TIMEOUT_MS);
    String reaper = flags.remove("reaper-interval-ms");
    int runs = Cli.integer(flags.remove("runs"), "runs", 5);
    if (!flags.isEmpty()) {
      throw new IllegalArgumentException("unknown flags " + flags.keySet() + "\n" + USAGE);
    }
    if (url.isPresent() && reaper != null) {
      throw new IllegalArgumentException("--reaper-interval-ms configures the node the tool starts; with --url the "
          + "node's ROWSTREAM_GROUP_REAPER_INTERVAL_MS applies");
    }
    if (session < 500 || runs < 1) {
      throw new IllegalArgumentException("--session-timeout-ms must be at least 500 and --runs at least 1");
    }
    Optional<Integer> interval = url.isPresent() ? Optional.empty()
        : Optional.of(Cli.integer(reaper, "reaper-interval-ms", DEFAULT_REAPER_INTERVAL_MS));
    return new RebalanceOptions(url, session, interval, runs);
  }
}
