package io.rowstream.tools;

import io.rowstream.db.Migrations;
import io.rowstream.support.TestPostgres;
import io.rowstream.support.TestPostgres.TestDatabase;
import java.nio.file.Path;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.Target;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Generates the jOOQ classes under {@code src/main/jooq} from a real, migrated PostgreSQL
 * (jOOQ's DDL parser mistypes jsonb and rejects partitioned tables, so it is not used). The operator
 * views of {@code sql/} ({@code *_overview}) are for people with psql, not for the broker, and are left out.
 *
 * <p>Run after changing a migration: {@code mvn -q test-compile exec:java
 * -Dexec.mainClass=io.rowstream.tools.JooqCodegen -Dexec.classpathScope=test}. The test
 * {@code GeneratedSchemaTest} fails when the committed classes drift from the migrations.
 */
public final class JooqCodegen {
  public static final String PACKAGE = "io.rowstream.db.schema";

  private JooqCodegen() {}

  public static void main(String[] args) throws Exception {
    generate(Path.of(args.length > 0 ? args[0] : "src/main/jooq"));
  }

  public static void generate(Path targetDirectory) throws Exception {
    TestDatabase db = TestPostgres.server().newDatabase("codegen");
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(db.url());
    dataSource.setUser(db.user());
    if (db.password() != null) {
      dataSource.setPassword(db.password());
    }
    Migrations.apply(dataSource);

    Configuration configuration = new Configuration()
        .withJdbc(new Jdbc()
            .withDriver("org.postgresql.Driver")
            .withUrl(db.url())
            .withUser(db.user())
            .withPassword(db.password()))
        .withGenerator(new Generator()
            .withName("org.jooq.codegen.JavaGenerator")
            .withDatabase(new Database()
                .withName("org.jooq.meta.postgres.PostgresDatabase")
                .withInputSchema(io.rowstream.db.Database.SCHEMA)
                .withIncludes(".*")
                // append_chunks and read_chunks are set-returning functions jOOQ would model as
                // tables; they are
                // called from plain JDBC (log.ChunkStore). The message view
                // and its
                // functions (sql/R__message_functions.sql) are for psql, like the overviews; the
                // storage
                // functions (sql/R__segment_functions.sql) run inside append_chunks and topic
                // creation.
                .withExcludes(
                    "flyway_schema_history|.*_overview|sent_record_partition|sent_record_[0-9]|append_chunks|read_chunks|create_chunk_storage"
                        + "|open_segment|ensure_active_segment|message|read_messages|decode_record_batch|record_batch_header|record_batch_varint")
                .withIncludeRoutines(false))
            .withGenerate(new Generate()
                .withGeneratedAnnotation(false)
                .withRecords(true)
                .withPojos(false)
                .withJavaTimeTypes(true))
            .withTarget(new Target()
                .withPackageName(PACKAGE)
                .withDirectory(targetDirectory.toAbsolutePath().toString())
                .withClean(true)));
    GenerationTool.generate(configuration);
  }
}
