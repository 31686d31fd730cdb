package io.rowstream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering, checked on the compiled main classes: the top-level packages of {@code io.rowstream}
 * form no loop, the edges (HTTP, Kafka's protocol) reach no store and no database, and only {@code db} and the stores
 * use jOOQ or JDBC. The load generator ({@code io.rowstream.bench}, a client of the HTTP API) and
 * the generated jOOQ classes ({@code io.rowstream.db.schema}) are not imported; a dependency on
 * them still counts.
 */
class ArchitectureTest {
  private static final String ROOT = "io.rowstream";
  private static final String[] DATABASE_APIS = {"org.jooq..", "java.sql..", "javax.sql.."};

  /** Classes of {@code io.rowstream} named {@code …Store}, and the classes nested in them. */
  private static final DescribedPredicate<JavaClass> STORES = DescribedPredicate.describe(
      "are stores (io.rowstream classes named *Store, and their nested classes)",
      type -> type.getPackageName().startsWith(ROOT + ".")
          && type.getName().matches(".*Store(\\$.*)?"));

  /** {@code io.rowstream.x.y.Z} belongs to slice {@code x}; the root package's classes to a slice of their own. */
  private static final SliceAssignment TOP_LEVEL_PACKAGES = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass type) {
      String pkg = type.getPackageName();
      if (pkg.equals(ROOT)) {
        return SliceIdentifier.of("io.rowstream (root)");
      }
      if (!pkg.startsWith(ROOT + ".")) {
        return SliceIdentifier.ignore();
      }
      String rest = pkg.substring(ROOT.length() + 1);
      int dot = rest.indexOf('.');
      return SliceIdentifier.of(dot < 0 ? rest : rest.substring(0, dot));
    }

    @Override
    public String getDescription() {
      return "top-level packages of io.rowstream";
    }
  };

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ArchitectureTest::handWritten)
        .importPackages(ROOT);
  }

  private static boolean handWritten(Location location) {
    return !location.contains("/io/rowstream/bench/")
        && !location.contains("/io/rowstream/db/schema/");
  }

  @Test
  void top_level_packages_form_no_cycles() {
    check(slices().assignedFrom(TOP_LEVEL_PACKAGES).should().beFreeOfCycles());
  }

  @Test
  void the_edges_use_no_store_and_no_database() {
    check(noClasses()
        .that()
        .resideInAnyPackage(ROOT + ".http..", ROOT + ".kafka..")
        .should()
        .dependOnClassesThat(STORES)
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage(ROOT + ".db..")
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(DATABASE_APIS));
  }

  @Test
  void only_db_and_the_stores_use_jooq_or_jdbc() {
    check(noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".db..")
        .and(DescribedPredicate.not(STORES).as("are not stores"))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(DATABASE_APIS));
  }

  /**
   * The command line is a client of the public HTTP API, like any other: it reaches the node only
   * over HTTP, never through its services, stores or database (so it works through a load balancer
   * and with authentication on, and shows what the API lacks). The JDK's TLS classes
   * ({@code javax.net.ssl}) are part of its HTTP client: {@code --ca-cert} sets what it trusts, read
   * by {@code pem}, which the node's TLS shares and which holds nothing of the node.
   */
  @Test
  void the_command_line_uses_only_the_http_api() {
    check(classes()
        .that()
        .resideInAPackage(ROOT + ".cli..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            ROOT + ".cli..",
            ROOT + ".pem..",
            "java..",
            "javax.net.ssl..",
            "picocli..",
            "com.fasterxml.jackson.."));
  }

  /** What the command line shares with the node to read PEM certificates depends on the JDK alone. */
  @Test
  void pem_reading_depends_on_the_jdk_alone() {
    check(classes()
        .that()
        .resideInAPackage(ROOT + ".pem..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(ROOT + ".pem..", "java.."));
  }

  private static void check(ArchRule rule) {
    rule.check(main);
  }
}
