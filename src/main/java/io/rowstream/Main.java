package io.rowstream;

import io.rowstream.config.NodeConfig;
import io.rowstream.config.NodeConfigParser;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar rowstream.jar [--flag value …]}: starts a node and runs until SIGTERM. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
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
