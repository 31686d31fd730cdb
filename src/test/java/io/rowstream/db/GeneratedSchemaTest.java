package io.rowstream.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.tools.JooqCodegen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed jOOQ classes must match what the migrations generate (see {@link JooqCodegen}). */
class GeneratedSchemaTest {

  @Test
  void committed_jooq_classes_match_the_migrated_schema() throws Exception {
    Path fresh = Path.of("target", "jooq-drift-check");
    JooqCodegen.generate(fresh);
    assertThat(files(fresh))
        .as("src/main/jooq is stale: regenerate with mvn -q test-compile exec:java "
            + "-Dexec.mainClass=io.rowstream.tools.JooqCodegen -Dexec.classpathScope=test")
        .isEqualTo(files(Path.of("src", "main", "jooq")));
  }

  private static Map<String, String> files(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), Files.readString(p));
      }
    }
    return out;
  }
}
