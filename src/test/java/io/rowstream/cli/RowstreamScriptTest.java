package io.rowstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/rowstream} itself: it finds a JDK 21+ when {@code JAVA_HOME} is unset and the {@code
 * java} on PATH is older (this machine's default is 17), and says how to build the jar when it is
 * missing.
 */
class RowstreamScriptTest {
  @Test
  void the_script_finds_a_jdk_21_when_the_java_on_path_is_older(@TempDir Path bin)
      throws IOException, InterruptedException {
    Path old = oldJava();
    assumeTrue(old != null, "no JDK older than 21 on this machine to put first on PATH");
    Files.createSymbolicLink(bin.resolve("java"), old);
    Cli cli = new Cli(Map.of()).with(mapOf("JAVA_HOME", null, "PATH", bin + ":/usr/bin:/bin"));
    Cli.Result help = cli.run("--version");
    assertThat(help.exit()).as(help.toString()).isZero();
    assertThat(help.out()).startsWith("rowstream ");

    Cli.Result badHome =
        cli.with(mapOf("JAVA_HOME", old.getParent().getParent().toString())).run("--version");
    assertThat(badHome.exit())
        .as("a JAVA_HOME older than 21 is passed over: " + badHome)
        .isZero();
  }

  @Test
  void a_missing_jar_is_reported_with_how_to_build_it() {
    Cli.Result missing = new Cli(Map.of())
        .with(mapOf("ROWSTREAM_CLASSPATH", null, "ROWSTREAM_JAR", "/nonexistent/rowstream.jar"))
        .run("topics", "list");
    assertThat(missing.exit()).as(missing.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("/nonexistent/rowstream.jar is missing").contains("mvn");
  }

  /** The {@code java} of a JDK older than 21 under /usr/lib/jvm or on PATH, if any. */
  private static Path oldJava() throws IOException, InterruptedException {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("/usr/bin/java"));
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (var dirs = Files.list(jvms)) {
        dirs.map(d -> d.resolve("bin/java")).forEach(candidates::add);
      }
    }
    for (Path java : candidates) {
      if (Files.isExecutable(java) && major(java) > 0 && major(java) < 21) {
        return java.toRealPath();
      }
    }
    return null;
  }

  private static int major(Path java) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(java.toString(), "-XshowSettings:properties", "-version")
        .redirectErrorStream(true)
        .start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    var m = Pattern.compile("java\\.specification\\.version = (?:1\\.)?(\\d+)").matcher(text);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  private static Map<String, String> mapOf(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
