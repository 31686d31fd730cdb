package io.rowstream.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.docs.ReadmePsqlExamples.Block;
import io.rowstream.docs.ReadmePsqlExamples.Statement;
import io.rowstream.docs.ReadmePsqlExamples.Topic;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestPostgres.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's psql walk-throughs (sending from SQL, capturing a table), run with psql, as a reader
 * would, on a fresh database with a node on it, one psql session per block in README order: every
 * statement must succeed, and every answer the README shows must be what psql printed (see
 * {@link ReadmePsqlExamples} for how a shown answer reads). Before a statement with a shown answer
 * outside a transaction block, the session waits until no sent record is pending, as the README
 * tells the reader to run the query again until the node moved the record.
 */
class ReadmePsqlExamplesTest {
  private static final String MARK = "@@statement ";

  /** Waits, at most 30 s, until the nodes moved every committed sent record into the log. */
  private static final String WAIT_FOR_MOVES = """
      do $$ begin
        for i in 1..600 loop
          exit when not exists (select 1 from rowstream.sent_record_overview where pending_records > 0);
          perform pg_sleep(0.05);
        end loop;
      end $$;""";

  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("readme_psql");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void the_readme_psql_walk_throughs_answer_what_the_readme_shows() throws Exception {
    assertThat(ReadmeExamplesTest.installed("psql"))
        .as("psql is installed (.ci/run installs postgresql-client when missing)")
        .isTrue();
    ReadmePsqlExamples examples =
        ReadmePsqlExamples.parse(Files.readAllLines(Path.of("README.md")));
    assertThat(examples.blocks())
        .extracting(Block::section)
        .contains("Sending records from SQL, in the application's own transaction");
    List<String> failures = new ArrayList<>();
    List<String> created = new ArrayList<>();
    for (Block block : examples.blocks()) {
      for (Topic topic : block.topics()) {
        if (!created.contains(topic.name())) {
          broker.http().createTopic(topic.name(), topic.partitions());
          created.add(topic.name());
        }
      }
      check(block, failures);
    }
    assertThat(examples.blocks().stream()
            .flatMap(b -> b.statements().stream())
            .filter(st -> st.shown().isPresent()))
        .as("statements whose answer the README shows")
        .hasSizeGreaterThanOrEqualTo(3);
    assertThat(failures).as("README psql examples that do not answer as shown").isEmpty();
  }

  private static void check(Block block, List<String> failures) throws Exception {
    PsqlOutput out = run(block);
    List<Statement> statements = block.statements();
    for (int i = 0; i < statements.size(); i++) {
      Statement s = statements.get(i);
      String where =
          "README line " + s.line() + " (" + s.text().lines().findFirst().orElse("") + ")";
      if (i >= out.answers().size()) {
        failures.add(
            where + ": psql stopped before it (exit " + out.exitStatus() + "): " + out.errors());
        return;
      }
      if (s.shown().isEmpty()) {
        continue;
      }
      List<String> shown = ReadmePsqlExamples.normalized(s.shown().get());
      List<String> answer = ReadmePsqlExamples.normalized(out.answers().get(i));
      if (!answer.equals(shown)) {
        failures.add(where + ":\n    shown:  " + shown + "\n    answer: " + answer);
      }
    }
    if (out.exitStatus() != 0) {
      failures.add("README line " + block.firstLine() + ": psql exited " + out.exitStatus() + ": "
          + out.errors());
    }
  }

  /** What psql printed for each statement of a block, in order, and how it ended. */
  private record PsqlOutput(List<List<String>> answers, int exitStatus, String errors) {}

  /**
   * Runs a block's statements in one psql session, each followed by a mark, and splits what psql
   * printed at the marks.
   */
  private static PsqlOutput run(Block block) throws IOException, InterruptedException {
    StringBuilder script = new StringBuilder();
    boolean inTransaction = false;
    List<Statement> statements = block.statements();
    for (int i = 0; i < statements.size(); i++) {
      Statement s = statements.get(i);
      String first = s.firstWord();
      if (s.shown().isPresent() && !inTransaction) {
        script.append(WAIT_FOR_MOVES).append('\n');
      }
      if (first.equals("begin") || first.equals("start")) {
        inTransaction = true;
      } else if (first.equals("commit") || first.equals("rollback") || first.equals("end")) {
        inTransaction = false;
      }
      script
          .append(s.text())
          .append('\n')
          .append("\\echo ")
          .append(MARK)
          .append(i)
          .append('\n');
    }
    TestDatabase db = broker.database();
    URI uri = URI.create(db.url().substring("jdbc:".length()));
    ProcessBuilder pb = new ProcessBuilder(
        "psql",
        "-X",
        "-q",
        "-P",
        "footer=off",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        uri.getHost(),
        "-p",
        String.valueOf(uri.getPort()),
        "-U",
        db.user(),
        "-d",
        db.name());
    if (db.password() != null) {
      pb.environment().put("PGPASSWORD", db.password());
    }
    Path errorFile = Files.createTempFile("psql", ".err");
    pb.redirectError(errorFile.toFile());
    Process psql = pb.start();
    psql.getOutputStream().write(script.toString().getBytes(StandardCharsets.UTF_8));
    psql.getOutputStream().close();
    String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(psql.waitFor(60, TimeUnit.SECONDS)).as("psql ended").isTrue();
    String errors = Files.readString(errorFile);
    Files.delete(errorFile);
    List<List<String>> answers = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String line : output.lines().toList()) {
      if (line.startsWith(MARK)) {
        answers.add(current);
        current = new ArrayList<>();
      } else {
        current.add(line);
      }
    }
    return new PsqlOutput(answers, psql.exitValue(), errors.strip());
  }
}
