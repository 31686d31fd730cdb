package io.rowstream.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestPostgres;
import io.rowstream.support.TestPostgres.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * SQL is a public interface: after the migrations, every table, column, view and function of the
 * {@code rowstream} schema carries a {@code COMMENT} (partition children inherit their parent's
 * meaning and are left out; a view's columns are explained by its comment and its file in sql/, a
 * function's arguments by its comment and its file in sql/).
 */
class SchemaCommentsTest {

  @Test
  void every_table_column_view_and_function_has_a_comment() throws Exception {
    TestDatabase db = TestPostgres.server().newDatabase("schema_comments");
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(db.url());
    dataSource.setUser(db.user());
    dataSource.setPassword(db.password());
    Migrations.apply(dataSource);
    List<String> missing = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        var s = c.createStatement()) {
      try (var rs = s.executeQuery(
          "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
              + " where n.nspname = 'rowstream' and c.relname in ('consumer_group', 'consumer_instance',"
              + " 'consumer_assignment', 'committed_offset', 'consumer_lag_overview', 'group_member_overview',"
              + " 'committed_offset_overview')")) {
        rs.next();
        assertThat(rs.getInt(1))
            .as("the group tables and views are there to be checked")
            .isEqualTo(7);
      }
      try (var rs = s.executeQuery("""
            with relation as (
              select c.oid, c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = 'rowstream' and c.relkind in ('r', 'p', 'v') and not c.relispartition
                and c.relname <> 'flyway_schema_history')
            select relname from relation where obj_description(oid, 'pg_class') is null
            union all
            select r.relname || '.' || a.attname from relation r
            join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
            where r.relkind <> 'v' and col_description(r.oid, a.attnum) is null
            union all
            select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
            from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = 'rowstream' and obj_description(p.oid, 'pg_proc') is null
            order by 1""")) {
        while (rs.next()) {
          missing.add(rs.getString(1));
        }
      }
    }
    assertThat(missing)
        .as("tables, views, columns and functions without COMMENT")
        .isEmpty();
  }
}
