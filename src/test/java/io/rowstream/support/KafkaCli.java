package io.rowstream.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.tools.AclCommand;
import org.apache.kafka.tools.ConfigCommand;
import org.apache.kafka.tools.ConsoleProducer;
import org.apache.kafka.tools.GetOffsetShell;
import org.apache.kafka.tools.TopicCommand;
import org.apache.kafka.tools.consumer.ConsoleConsumer;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;

/**
 * The Kafka CLI's own classes (kafka-tools) run in this JVM: {@code kafka-topics.sh} is
 * {@code TopicCommand}, {@code kafka-configs.sh} is {@code ConfigCommand}, and so on. Their
 * {@code main} ends with Kafka's {@code Exit}, which is intercepted (as Kafka's own tests do), what
 * they print is captured and standard input is what a test gives. One run at a time, since standard
 * input and output are the process's.
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

  /** {@code kafka-console-producer.sh} with these arguments, reading {@code lines} as its input. */
  public static Run consoleProducer(String lines, String... args) {
    return run(ConsoleProducer::main, lines, args);
  }

  /** {@code kafka-console-consumer.sh} with these arguments. */
  public static Run consoleConsumer(String... args) {
    return run(ConsoleConsumer::main, args);
  }

  /** {@code kafka-get-offsets.sh} with these arguments. */
  public static Run getOffsets(String... args) {
    return run(GetOffsetShell::main, args);
  }

  /** {@code kafka-acls.sh} with these arguments. */
  public static Run acls(String... args) {
    return run(AclCommand::main, args);
  }

  /** {@code kafka-consumer-groups.sh} with these arguments. */
  public static Run consumerGroups(String... args) {
    return run(ConsumerGroupCommand::main, args);
  }

  private static final class Exited extends RuntimeException {
    Exited(int status) {
      super("exit " + status, null, false, false);
    }
  }

  /** A tool's {@code main}, which may throw what it throws. */
  private interface Main {
    void run(String[] args) throws Exception;
  }

  private static Run run(Main main, String[] args) {
    return run(main, "", args);
  }

  private static synchronized Run run(Main main, String stdin, String[] args) {
    InputStream in = System.in;
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    int[] firstExit = {-1};
    List<Runnable> shutdownHooks = new ArrayList<>();
    Exit.setShutdownHookAdder((name, hook) -> shutdownHooks.add(hook));
    Exit.setExitProcedure((status, message) -> {
      if (firstExit[0] < 0) {
        firstExit[0] = status;
      }
      throw new Exited(status);
    });
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      try {
        main.run(args);
      } catch (Exited e) {
        // The status is the first exit's.
      } finally {
        // What the JVM's exit would run: ConsoleProducer closes (flushes) its producer only there.
        shutdownHooks.forEach(Runnable::run);
      }
    } catch (Exception e) {
      throw new IllegalStateException("the tool failed without exiting", e);
    } finally {
      System.setIn(in);
      System.setOut(out);
      System.setErr(err);
      Exit.resetExitProcedure();
      Exit.resetShutdownHookAdder();
    }
    return new Run(
        Math.max(firstExit[0], 0),
        outBytes.toString(StandardCharsets.UTF_8),
        errBytes.toString(StandardCharsets.UTF_8));
  }
}
