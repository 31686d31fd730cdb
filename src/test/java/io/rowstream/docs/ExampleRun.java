package io.rowstream.docs;

import io.rowstream.docs.ReadmeExamples.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs the README's example blocks in order, in one bash, with {@code curl} wrapped so that every
 * call is recorded: the README line it was made from, its HTTP status and its body.
 *
 * <p>The script keeps the README's line numbers (line n of the script is line n of the README, or
 * empty), so bash's {@code BASH_LINENO} names the README line of each call.
 */
final class ExampleRun {
  /** One curl call: the README line bash ran it from, the HTTP status (0: no answer) and the body. */
  record Call(int line, int status, String body) {}

  /** What a run left: the calls in the order they were made, bash's exit status and its output. */
  record Result(List<Call> calls, int exitStatus, String output) {}

  private static final String PRELUDE = "set -e; curl() { local body status;"
      + " body=$(mktemp \"$TRACE_DIR/body.XXXXXX\");"
      + " status=$(command curl --max-time 60 \"$@\" -o \"$body\" -w '%{http_code}') || status=0;"
      + " printf '%s %s %s\\n' \"${BASH_LINENO[0]}\" \"$status\" \"$body\" >> \"$TRACE_DIR/calls\";"
      + " cat \"$body\"; }";

  private ExampleRun() {}

  /**
   * Runs the blocks of {@code examples} against the node {@code nodeOf} names for each block's
   * section ({@code host:port}, in place of {@code localhost:8082}), in {@code dir}.
   */
  static Result run(
      int readmeLines, ReadmeExamples examples, Function<Block, String> nodeOf, Path dir) {
    try {
      List<String> script = new ArrayList<>(Collections.nCopies(readmeLines, ""));
      script.set(0, PRELUDE);
      for (Block block : examples.blocks()) {
        for (int i = 0; i < block.lines().size(); i++) {
          script.set(
              block.firstLine() - 1 + i,
              block.lines().get(i).replace(ReadmeExamples.NODE, nodeOf.apply(block)));
        }
      }
      Path file = dir.resolve("readme-examples.sh");
      Files.write(file, script, StandardCharsets.UTF_8);
      Path output = dir.resolve("output.txt");
      Path trace = Files.createDirectories(dir.resolve("trace"));
      ProcessBuilder bash = new ProcessBuilder("bash", file.toString())
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(output.toFile());
      bash.environment().put("TRACE_DIR", trace.toString());
      Process process = bash.start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("the README's examples did not finish within 5 minutes");
      }
      return new Result(calls(trace), process.exitValue(), Files.readString(output));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<Call> calls(Path trace) throws IOException {
    Path log = trace.resolve("calls");
    List<Call> out = new ArrayList<>();
    if (!Files.exists(log)) {
      return out;
    }
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      String[] parts = line.split(" ", 3);
      out.add(new Call(
          Integer.parseInt(parts[0]),
          Integer.parseInt(parts[1]),
          Files.readString(Path.of(parts[2]), StandardCharsets.UTF_8)));
    }
    return out;
  }
}
