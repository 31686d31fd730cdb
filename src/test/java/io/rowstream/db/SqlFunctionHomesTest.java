package io.rowstream.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.OlderSchema;
import io.rowstream.support.TestPostgres;
import io.rowstream.support.TestPostgres.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every SQL function of the {@code rowstream} schema has one current definition, in one repeatable
 * file under {@code sql/}; versioned migrations after the cut-over keep to DDL and data. A database
 * migrated before the cut-over, migrated again, ends with the same functions as a new one, and the
 * move changed no code of the functions it moved.
 */
class SqlFunctionHomesTest {
  /** The last versioned migration that may (and did) define functions; later ones may not. */
  private static final int CUT_OVER_VERSION = 24;

  /**
   * Functions whose R__ definition was changed on purpose after the cut-over, so their code no
   * longer equals what the versioned migrations left: append_chunks answers the log start offset
   * and writes the leader epoch into each batch (issue 21); roll_active_segment no longer opens an
   * empty segment with a table of its own (issue 25: a segment and its storage come with its first
   * append); read_chunks reads a segment with one statement instead of three (issue 23: each is
   * planned at every call). Every other function must still equal it.
   */
  private static final Set<String> CHANGED_SINCE_CUT_OVER =
      Set.of("append_chunks", "roll_active_segment", "read_chunks");

  private static final Pattern DEFINITION = Pattern.compile(
      "^\\s*create\\s+(?:or\\s+replace\\s+)?function\\s+(?:rowstream\\.)?(\\w+)\\s*\\(",
      Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");
  private static final String FUNCTIONS = """
      select p.proname, pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid),
             obj_description(p.oid, 'pg_proc')
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'rowstream'
         and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass
                          and d.objid = p.oid and d.deptype = 'e')
       order by 1, 2""";

  private static TestDatabase fresh;

  @BeforeAll
  static void migrate() {
    fresh = TestPostgres.server().newDatabase("function_homes");
    Migrations.apply(OlderSchema.dataSource(fresh));
  }

  @Test
  void every_function_is_defined_in_exactly_one_repeatable_file() throws Exception {
    Map<String, List<String>> repeatableHomes = definitions(sqlFiles(Path.of("sql"), "R__"));
    Map<String, List<String>> lateVersioned = new TreeMap<>();
    definitions(sqlFiles(Path.of("migrations"), "V"))
        .forEach((name, files) -> files.stream()
            .filter(file -> version(file) > CUT_OVER_VERSION)
            .forEach(file ->
                lateVersioned.computeIfAbsent(name, n -> new ArrayList<>()).add(file)));
    var live = new TreeSet<String>();
    functions(fresh).forEach(f -> live.add(f.name()));

    assertThat(live)
        .as("functions of the rowstream schema")
        .contains("append_chunks", "read_chunks");
    List<String> homeless = new ArrayList<>();
    for (String name : live) {
      // Overloads of one name (rowstream.send's value types) share their one file.
      List<String> homes =
          repeatableHomes.getOrDefault(name, List.of()).stream().distinct().toList();
      if (homes.size() != 1) {
        homeless.add(name + " defined in " + homes);
      }
    }
    assertThat(homeless)
        .as("functions without exactly one definition in sql/R__*.sql")
        .isEmpty();
    assertThat(repeatableHomes.keySet())
        .as("functions sql/ defines are the live ones")
        .isSubsetOf(live);
    assertThat(lateVersioned)
        .as("functions (re)defined by versioned migrations after V" + CUT_OVER_VERSION
            + ": change the R__ file instead")
        .isEmpty();
  }

  @Test
  void a_database_migrated_before_the_cut_over_reaches_the_same_functions() throws Exception {
    TestDatabase existing = TestPostgres.server().newDatabase("function_homes_existing");
    OlderSchema.migrateTo(existing, CUT_OVER_VERSION);
    List<Function> before = functions(existing);
    Migrations.apply(OlderSchema.dataSource(existing));

    assertThat(functions(existing))
        .as("functions after migrating again")
        .isEqualTo(functions(fresh));
    Map<String, String> freshCode = new TreeMap<>();
    functions(fresh).forEach(f -> freshCode.put(f.signature(), withoutComments(f.definition())));
    Map<String, String> oldCode = new TreeMap<>();
    before.stream()
        .filter(f -> !CHANGED_SINCE_CUT_OVER.contains(f.name()))
        .forEach(f -> oldCode.put(f.signature(), withoutComments(f.definition())));
    assertThat(oldCode).as("functions as the versioned migrations left them").isNotEmpty();
    oldCode.forEach((signature, code) -> assertThat(freshCode.get(signature))
        .as("code of %s, comments and layout aside", signature)
        .isEqualTo(code));
  }

  record Function(String name, String arguments, String definition, String comment) {
    String signature() {
      return name + "(" + arguments + ")";
    }
  }

  private static List<Function> functions(TestDatabase db) throws SQLException {
    List<Function> functions = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        var rs = c.createStatement().executeQuery(FUNCTIONS)) {
      while (rs.next()) {
        functions.add(
            new Function(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    }
    return functions;
  }

  /** Function name → the files (in {@code files}) that create it, once per definition. */
  private static Map<String, List<String>> definitions(List<Path> files) throws IOException {
    Map<String, List<String>> homes = new TreeMap<>();
    for (Path file : files) {
      Matcher m = DEFINITION.matcher(Files.readString(file));
      while (m.find()) {
        homes
            .computeIfAbsent(m.group(1).toLowerCase(), n -> new ArrayList<>())
            .add(file.getFileName().toString());
      }
    }
    return homes;
  }

  private static List<Path> sqlFiles(Path dir, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith(prefix))
          .filter(f -> f.getFileName().toString().endsWith(".sql"))
          .sorted()
          .toList();
    }
  }

  private static int version(String file) {
    Matcher m = VERSIONED.matcher(file);
    assertThat(m.matches()).as("versioned migration name %s", file).isTrue();
    return Integer.parseInt(m.group(1));
  }

  /** The code alone: SQL line comments dropped, whitespace collapsed. */
  private static String withoutComments(String definition) {
    return definition.replaceAll("--[^\\n]*", "").replaceAll("\\s+", " ").trim();
  }
}
