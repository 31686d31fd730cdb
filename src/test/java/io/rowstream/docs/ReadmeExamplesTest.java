package io.rowstream.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.config.OpsConfig;
import io.rowstream.docs.ExampleRun.Call;
import io.rowstream.docs.ReadmeExamples.Block;
import io.rowstream.docs.ReadmeExamples.Command;
import io.rowstream.support.TestBroker;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's curl examples, run top to bottom with bash and curl as a reader would run them, on
 * fresh nodes: every call must succeed, and every answer the README shows must be what the node
 * answered (see {@link ShownAnswer} for how a shown answer reads, {@link ReadmeExamples} for which
 * blocks run). The blocks of "Security and operations" run against a node with authentication on
 * and the README's admin credentials; all others against a node without authentication.
 */
class ReadmeExamplesTest {
  static final String SECURED_SECTION = "Security and operations";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static TestBroker open;
  private static TestBroker secured;

  @BeforeAll
  static void start() {
    open = TestBroker.start("readme");
    OpsConfig.Auth auth = new OpsConfig.Auth(
        true,
        Set.of("User:admin"),
        Optional.of("admin"),
        Optional.of("change-me-now"),
        false,
        Duration.ofSeconds(5));
    secured = TestBroker.start("readme_secured", c -> c.withOps(c.ops().withAuth(auth)));
  }

  @AfterAll
  static void stop() {
    open.close();
    secured.close();
  }

  @Test
  void the_readme_examples_run_in_order_and_answer_what_the_readme_shows(@TempDir Path dir)
      throws IOException {
    assertThat(installed("curl"))
        .as("curl is installed (.ci/run installs it when missing)")
        .isTrue();
    List<String> readme = Files.readAllLines(Path.of("README.md"));
    ReadmeExamples examples = ReadmeExamples.parse(readme);
    assertThat(examples.blocks())
        .extracting(Block::section)
        .contains(
            "Try it with curl",
            "Consumer groups",
            "Configuration",
            SECURED_SECTION,
            "Produce safe to retry (idempotent producer)");

    ExampleRun.Result run =
        ExampleRun.run(readme.size(), examples, ReadmeExamplesTest::hostOf, dir);
    List<String> failures = new ArrayList<>();
    if (run.exitStatus() != 0) {
      failures.add("bash stopped with exit status " + run.exitStatus() + " (see its output)");
    }
    List<Call> unmatched = new ArrayList<>(run.calls());
    for (Block block : examples.blocks()) {
      for (Command command : ReadmeExamples.commands(block)) {
        List<Call> calls =
            run.calls().stream().filter(c -> command.covers(c.line())).toList();
        unmatched.removeAll(calls);
        check(command, calls, hostOf(block), failures);
      }
    }
    assertThat(unmatched).as("calls from lines outside every command").isEmpty();
    assertThat(run.calls()).as("curl calls made").hasSizeGreaterThan(30);
    assertThat(failures)
        .as("README examples that do not answer as shown; bash's output:\n%s", run.output())
        .isEmpty();
  }

  private static void check(Command command, List<Call> calls, String node, List<String> failures) {
    String where = "README line " + command.first() + " ("
        + command.text().lines().findFirst().orElse("") + ")";
    if (command.shown().isPresent() && calls.isEmpty()) {
      failures.add(where + ": shows an answer but made no curl call");
    }
    for (Call call : calls) {
      String body = call.body().replace(node, ReadmeExamples.NODE);
      if (command.shown().isEmpty()) {
        if (call.status() < 200 || call.status() > 299) {
          failures.add(where + ": answered " + call.status() + " " + body);
        }
        continue;
      }
      ShownAnswer shown = command.shown().get();
      int status = shown.errorStatus();
      boolean statusAsShown =
          status == 0 ? call.status() >= 200 && call.status() <= 299 : call.status() == status;
      if (!statusAsShown) {
        failures.add(
            where + ": answered " + call.status() + " " + body + ", the README shows " + shown);
        continue;
      }
      try {
        JsonNode actual = MAPPER.readTree(body);
        for (String mismatch : shown.mismatches(actual)) {
          failures.add(
              where + ": " + mismatch + "\n    shown:  " + shown + "\n    answer: " + body);
        }
      } catch (JsonProcessingException e) {
        failures.add(where + ": answered " + body + " (not JSON), the README shows " + shown);
      }
    }
  }

  /** Whether {@code program --version} runs and succeeds. */
  static boolean installed(String program) {
    try {
      Process p = new ProcessBuilder(program, "--version")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      return p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String hostOf(Block block) {
    TestBroker broker = block.section().equals(SECURED_SECTION) ? secured : open;
    URI uri = URI.create(broker.node(0).baseUrl());
    return uri.getHost() + ":" + uri.getPort();
  }
}
