package io.rowstream.citus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Runs the files of {@code docker/citus/} over JDBC as psql would: lines starting with a backslash
 * (psql's meta-commands) dropped, {@code :shards} replaced, one statement per {@code ;} at a line's end.
 */
final class CitusScripts {
  static final Path KEYS = Path.of("docker", "citus", "keys.sql");
  static final Path DISTRIBUTE = Path.of("docker", "citus", "distribute.sql");

  private CitusScripts() {}

  static void run(Connection c, Path file, int shards) throws IOException, SQLException {
    String text = Files.readAllLines(file).stream()
        .filter(line -> !line.startsWith("\\"))
        .collect(Collectors.joining("\n"))
        .replace(":shards", Integer.toString(shards));
    try (Statement s = c.createStatement()) {
      for (String statement :
          Arrays.stream(text.split(";\\s*\n")).map(String::strip).toList()) {
        if (!statement.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("--"))) {
          s.execute(statement);
        }
      }
    }
  }
}
