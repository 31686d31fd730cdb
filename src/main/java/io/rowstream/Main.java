package io.rowstream;

import io.rowstream.cli.RowstreamCli;
import io.rowstream.config.NodeConfig;
import io.rowstream.config.NodeConfigParser;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar rowstream.jar [--flag value …]} or {@code rowstream serve [--flag value …]}:
 * starts a node and runs until SIGTERM. Any other first argument is the command line's
 * ({@code rowstream topics list}, {@code rowstream --help}: {@link RowstreamCli}).
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    boolean help = List.of(args).contains("--help") || List.of(args).contains("-h");
    if (args.length == 0 || !RowstreamCli.isCliArgument(args[0])) {
      serve(args);
    } else if (args[0].equals("serve") && !help) {
      serve(Arrays.copyOfRange(args, 1, args.length));
    } else {
      System.exit(RowstreamCli.run(
          args, System.getenv(), System.in, System.out, System.err, Main::serveUntilStopped));
    }
  }

  private static int serveUntilStopped(String[] args) {
    try {
      serve(args);
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  private static void serve(String[] args) throws InterruptedException {
    NodeConfig config;
    try {
      config = NodeConfigParser.parse(System.getenv(), args);
    } catch (IllegalArgumentException e) {
      LOG.error("invalid configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    RowstreamNode node = RowstreamNode.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    long boundMs = config.ops().shutdown().timeout().toMillis();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(
            () -> {
              LOG.info("stopping node boundMs={}", boundMs);
              Thread closing = Thread.ofPlatform().name("node-close").start(node::close);
              try {
                closing.join(boundMs);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              if (closing.isAlive()) {
                LOG.error("node did not stop within boundMs={}; halting", boundMs);
                Runtime.getRuntime().halt(1);
              }
              stopped.countDown();
            },
            "shutdown"));
    stopped.await();
  }
}
