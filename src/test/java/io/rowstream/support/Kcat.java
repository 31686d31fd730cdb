package io.rowstream.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * librdkafka's command line client, Debian's {@code kcat}, run against a node's Kafka listener.
 * {@code .ci/run} installs it; on a machine without it the tests that use it are skipped, except
 * under CI ({@code CI} set), where its absence fails them.
 */
public final class Kcat {
  /** What one run printed and how it ended. */
  public record Run(int exitCode, String out, String err) {}

  private Kcat() {}

  /** Skips the calling test when kcat is not installed, unless under CI. */
  public static void assumeInstalled() {
    boolean installed = Files.isExecutable(Path.of("/usr/bin/kcat"))
        || Files.isExecutable(Path.of("/usr/local/bin/kcat"));
    if (!installed && System.getenv("CI") != null) {
      throw new IllegalStateException(
          "kcat is not installed; .ci/run installs it (apt-get install kcat)");
    }
    assumeTrue(installed, "kcat is not installed (apt-get install kcat)");
  }

  /** Runs {@code kcat -b bootstrap args…}, feeding {@code stdin}, within 60 s. */
  public static Run run(String bootstrap, String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of("kcat", "-b", bootstrap));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      // Small outputs: read both streams after the end (kcat's output fits the pipe buffers).
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("kcat " + args[0] + " did not end within 60 s");
      }
      return new Run(
          p.exitValue(),
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
          new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
