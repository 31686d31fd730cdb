package io.rowstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real command, {@code bin/rowstream}, as a child process, as a shell user would: bash runs
 * the script, the script finds a JDK and starts {@code io.rowstream.Main}. The jar is built only by
 * {@code mvn package}, after the tests, so the script runs Main from the test JVM's class path
 * ({@code ROWSTREAM_CLASSPATH}, which the script honours for this); everything else is the path a
 * user takes. The child's environment holds only what is given here (no ROWSTREAM_* of the machine
 * leaks in); {@code JAVA_HOME} is this JVM's unless a test removes it.
 */
final class Cli {
  static final Path SCRIPT = Path.of("bin", "rowstream").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the command did: its exit code and everything it wrote. */
  record Result(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
      }
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final Map<String, String> env = new HashMap<>();

  private Cli() {}

  /** A command line whose connection settings come from {@code env} (ROWSTREAM_URL …). */
  Cli(Map<String, String> env) {
    this.env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    this.env.put("HOME", freshHome().toString()); // no profile file unless a test writes one
    this.env.put("JAVA_HOME", System.getProperty("java.home"));
    this.env.put("ROWSTREAM_CLASSPATH", classPath());
    this.env.put("ROWSTREAM_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto");
    this.env.putAll(env);
  }

  /** This command line with more (or, with a null value, fewer) environment variables. */
  Cli with(Map<String, String> more) {
    Cli cli = new Cli();
    cli.env.putAll(env);
    more.forEach((k, v) -> {
      if (v == null) {
        cli.env.remove(k);
      } else {
        cli.env.put(k, v);
      }
    });
    return cli;
  }

  Result run(String... args) {
    return input(null, args);
  }

  /** Runs {@code rowstream args…} with {@code stdin} (null: none) and waits up to 2 minutes. */
  Result input(String stdin, String... args) {
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Process process = builder(args).start();
      CompletableFuture<String> out =
          CompletableFuture.supplyAsync(() -> read(process.getInputStream()), threads);
      CompletableFuture<String> err =
          CompletableFuture.supplyAsync(() -> read(process.getErrorStream()), threads);
      try (var in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(
            "rowstream " + String.join(" ", args) + " did not end in 2 minutes");
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Starts {@code rowstream args…} and returns at once (stdin closed), for a command that follows
   * until it is interrupted. A shell gives its foreground commands SIGINT's default action; a JVM
   * started in the background by a non-interactive shell ignores SIGINT, and a child inherits that,
   * so then the child starts through {@code env --default-signal=INT}, as from a terminal.
   */
  Process start(String... args) {
    try {
      ProcessBuilder builder = builder(args);
      if (ignoresSigint()) {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT"));
        command.addAll(builder.command());
        builder.command(command);
      }
      Process process = builder.start();
      process.getOutputStream().close();
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code bash bin/rowstream args…} with exactly this command line's environment. */
  private ProcessBuilder builder(String... args) {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder;
  }

  /** Whether this process ignores SIGINT (signal 2: bit 1 of SigIgn in /proc/self/status). */
  private static boolean ignoresSigint() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("SigIgn:")) {
          return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 2) != 0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: a child gets what this process has
    }
    return false;
  }

  private static String read(InputStream stream) {
    try (stream) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      stream.transferTo(bytes);
      return bytes.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path freshHome() {
    try {
      return Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "cli-home");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String classPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }
}
