package io.rowstream.kafka.groups;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * A KIP-848 group member in a JVM of its own ({@link #main}: a {@link CommittingMember} printing
 * {@code read topic partition offset} after each successful commit), and the parent's handle on it:
 * its printed reads are fed to the parent's collector, and {@link #kill} sends SIGKILL, so the
 * member stops heartbeating without leaving.
 */
public final class ChildMember implements AutoCloseable {
  private static final String READ = "read ";

  private final Process process;
  private final Thread reader;

  private ChildMember(Process process, Consumer<CommittingMember.Read> onRead) {
    this.process = process;
    this.reader = Thread.ofPlatform().name("child-member-out").start(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith(READ)) {
            String[] f = line.substring(READ.length()).split(" ");
            onRead.accept(
                new CommittingMember.Read(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2])));
          }
        }
      } catch (IOException e) {
        // the child was killed
      }
    });
  }

  /** Starts a member of {@code group} reading {@code topic} through {@code bootstrap}. */
  static ChildMember start(
      String bootstrap, String group, String topic, Consumer<CommittingMember.Read> onRead) {
    String java = ProcessHandle.current().info().command().orElse("java");
    String surefire = System.getProperty("surefire.test.class.path");
    String classPath =
        surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    try {
      Process p = new ProcessBuilder(
              java,
              "-Xmx128m",
              "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1",
              "-cp",
              classPath,
              ChildMember.class.getName(),
              bootstrap,
              group,
              topic)
          .redirectErrorStream(true)
          .start();
      return new ChildMember(p, onRead);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: no leave, no commit, its heartbeats just stop. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
    reader.join();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  /** Args: bootstrap, group, topic. */
  public static void main(String[] args) throws InterruptedException {
    CommittingMember member = CommittingMember.subscribe(
        GroupProtocolClients.consumer(args[0], GroupProtocolClients.settings(args[1], "uniform")),
        List.of(args[2]),
        r -> {
          synchronized (System.out) {
            System.out.println(READ + r.topic() + " " + r.partition() + " " + r.offset());
            System.out.flush();
          }
        });
    member.awaitEnd();
  }
}
