package io.rowstream.support;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.tools.ConfigCommand;
import org.apache.kafka.tools.TopicCommand;

/**
 * The Kafka CLI's own classes (kafka-tools) run in this JVM: {@code kafka-topics.sh} is
 * {@code TopicCommand}, {@code kafka-configs.sh} is {@code ConfigCommand}. Their {@code main} ends
 * with Kafka's {@code Exit}, which is intercepted (as Kafka's own tests do), and what they print is
 * captured. One run at a time, since standard output is the process's.
 */
public final class KafkaCli {
  private KafkaCli() {}

  /**
   * How a run ended: the status of its first exit (0 when the tool returned without exiting;
   * TopicCommand exits again from its caller with 1 once its own exit was intercepted) and what it
   * printed.
   */
  public record Run(int status, String out, String err) {}

  /** {@code kafka-topics.sh} with these arguments. */
  public static Run topics(String... args) {
    return run(TopicCommand::main, args);
  }

  /** {@code kafka-configs.sh} with these arguments. */
  public static Run configs(String... args) {
    return run(ConfigCommand::main, args);
  }

  private static final class Exited extends RuntimeException {
    Exited(int status) {
      super("exit " + status, null, false, false);
    }
  }

  private static synchronized Run run(Consumer<String[]> main, String[] args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    int[] firstExit = {-1};
    Exit.setExitProcedure((status, message) -> {
      if (firstExit[0] < 0) {
        firstExit[0] = status;
      }
      throw new Exited(status);
    });
    try {
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      main.accept(args);
    } catch (Exited e) {
      // The status is the first exit's.
    } finally {
      System.setOut(out);
      System.setErr(err);
      Exit.resetExitProcedure();
    }
    return new Run(
        Math.max(firstExit[0], 0),
        outBytes.toString(StandardCharsets.UTF_8),
        errBytes.toString(StandardCharsets.UTF_8));
  }
}
