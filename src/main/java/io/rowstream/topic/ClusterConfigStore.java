package io.rowstream.topic;

import static io.rowstream.db.schema.Tables.CLUSTER_CONFIG;

import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/** All SQL on the {@code cluster_config} table: the cluster-wide defaults of topic configs. */
public final class ClusterConfigStore {
  /**
   * Every default as one jsonb object, broker config name to value ({@code {}} when none is set):
   * a scalar subquery that {@link TopicStore} selects with the topic row, so that a topic and the
   * defaults it resolves against come from one query.
   */
  static final Field<JSONB> DEFAULTS = DSL.field(DSL.select(DSL.coalesce(
              DSL.jsonbObjectAgg(CLUSTER_CONFIG.NAME, CLUSTER_CONFIG.VALUE),
              DSL.inline(JSONB.valueOf("{}"))))
          .from(CLUSTER_CONFIG))
      .as("cluster_defaults");

  private final DSLContext dsl;

  public ClusterConfigStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** The defaults as they are now. */
  public ClusterDefaults read() {
    return read(dsl);
  }

  static ClusterDefaults read(DSLContext dsl) {
    return parse(dsl.select(DEFAULTS).fetchSingle().value1());
  }

  /** The value of {@link #DEFAULTS}. */
  static ClusterDefaults parse(JSONB defaults) {
    return ClusterDefaults.fromBrokerNames(TopicStore.fromJson(defaults));
  }

  /**
   * Sets and removes defaults, by broker config name, in one transaction; the values of {@code set}
   * must already be checked.
   */
  public void alter(Map<String, String> set, Set<String> remove) {
    dsl.transaction(tx -> {
      if (!remove.isEmpty()) {
        tx.dsl()
            .deleteFrom(CLUSTER_CONFIG)
            .where(CLUSTER_CONFIG.NAME.in(remove))
            .execute();
      }
      if (!set.isEmpty()) {
        var insert = tx.dsl().insertInto(CLUSTER_CONFIG, CLUSTER_CONFIG.NAME, CLUSTER_CONFIG.VALUE);
        for (Map.Entry<String, String> e : set.entrySet()) {
          insert = insert.values(e.getKey(), e.getValue());
        }
        insert
            .onConflict(CLUSTER_CONFIG.NAME)
            .doUpdate()
            .set(CLUSTER_CONFIG.VALUE, DSL.excluded(CLUSTER_CONFIG.VALUE))
            .set(CLUSTER_CONFIG.UPDATED_AT, DSL.currentOffsetDateTime())
            .execute();
      }
    });
  }
}
