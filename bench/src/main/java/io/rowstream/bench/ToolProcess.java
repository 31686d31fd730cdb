package io.rowstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark tool (Kafka's ProducerPerformance, ConsumerPerformance, or {@link AssignedConsumer})
 * in a JVM of its own, as {@code kafka-producer-perf-test.sh} runs it: the same java as this one,
 * the JVM flags of Kafka's start scripts, its output (stdout and stderr) in a file.
 */
final class ToolProcess {
  /**
   * What {@code kafka-run-class.sh} gives the perf tools: {@code KAFKA_HEAP_OPTS} of the perf-test
   * scripts and {@code KAFKA_JVM_PERFORMANCE_OPTS}. English number formats, so the output parses.
   */
  static final List<String> JVM_FLAGS = List.of("-Xmx512M", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
      "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent", "-XX:MaxInlineLevel=15",
      "-Djava.awt.headless=true", "-Duser.language=en", "-Duser.country=US",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

  private final String name;
  private final Process process;
  private final Path output;
  /** {@link System#nanoTime} when the process was seen to exit. */
  private final CompletableFuture<Long> exited;

  private ToolProcess(String name, Process process, Path output) {
    this.name = name;
    this.process = process;
    this.output = output;
    this.exited = process.onExit().thenApply(p -> System.nanoTime());
  }

  /** Starts {@code mainClass} with {@code args} on {@code classpath}; its output goes to {@code output}. */
  static ToolProcess start(String name, String classpath, String mainClass, List<String> args, Path output)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.addAll(List.of("-cp", classpath, mainClass));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    return new ToolProcess(name, process, output);
  }

  /**
   * Its whole output once it has exited with status 0; otherwise (a failure, or still running after
   * {@code timeoutSeconds}, then killed) an exception with the end of its output.
   */
  String await(int timeoutSeconds) throws IOException, InterruptedException {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      stop();
      throw new IllegalStateException(name + " did not finish within " + timeoutSeconds + " s (--timeout-seconds):\n"
          + tail());
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(name + " exited with status " + process.exitValue() + ":\n" + tail());
    }
    return Files.readString(output);
  }

  /** {@link System#nanoTime} at its exit, once {@link #await} has returned. */
  long exitNanos() {
    return exited.join();
  }

  /** Kills it if it still runs (after a failure elsewhere), and waits for it to be gone. */
  void stop() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor();
    }
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(output);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
