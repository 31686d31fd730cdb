package io.rowstream.cluster;

import static io.rowstream.db.schema.Sequences.BROKER_NODE_ID_SEQ;
import static io.rowstream.db.schema.Tables.BROKER;
import static io.rowstream.db.schema.Tables.CLUSTER;
import static io.rowstream.db.schema.Tables.CONTROLLER;

import io.rowstream.db.Tx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * All SQL on the {@code broker} and {@code cluster} tables, and the read of who is controller.
 * Leases use the database clock. Callers outside {@code cluster} go through {@link BrokerRegistry}.
 */
public final class BrokerStore {
  private final DSLContext dsl;

  public BrokerStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** On the transaction (or autocommit scope) a caller passes. */
  public BrokerStore(Tx tx) {
    this(tx.dsl());
  }

  public String clusterId() {
    return dsl.select(CLUSTER.CLUSTER_ID).from(CLUSTER).fetchSingle().value1();
  }

  /** What the nodes of this cluster authenticate to one another with (migration V14). */
  public String nodeSecret() {
    return dsl.select(CLUSTER.NODE_SECRET).from(CLUSTER).fetchSingle().value1();
  }

  /** A fresh broker id above Kafka's reserved range. */
  public int allocateNodeId() {
    return dsl.select(BROKER_NODE_ID_SEQ.nextval()).fetchSingle().value1().intValue();
  }

  /**
   * Registers (or re-registers) this node with a lease of {@code lease}; {@code kafka} null when
   * it has no Kafka listener.
   */
  public void register(
      int nodeId, String advertisedUrl, BrokerInfo.KafkaAddress kafka, Duration lease) {
    Field<java.time.OffsetDateTime> expiry = leaseEnd(lease);
    String kafkaHost = kafka == null ? null : kafka.host();
    Integer kafkaPort = kafka == null ? null : kafka.port();
    dsl.insertInto(BROKER)
        .set(BROKER.NODE_ID, nodeId)
        .set(BROKER.ADVERTISED_URL, advertisedUrl)
        .set(BROKER.KAFKA_HOST, kafkaHost)
        .set(BROKER.KAFKA_PORT, kafkaPort)
        .set(BROKER.STARTED_AT, DSL.currentOffsetDateTime())
        .set(BROKER.HEARTBEAT_AT, DSL.currentOffsetDateTime())
        .set(BROKER.LEASE_EXPIRES_AT, expiry)
        .onConflict(BROKER.NODE_ID)
        .doUpdate()
        .set(BROKER.ADVERTISED_URL, advertisedUrl)
        .set(BROKER.KAFKA_HOST, kafkaHost)
        .set(BROKER.KAFKA_PORT, kafkaPort)
        .set(BROKER.STARTED_AT, DSL.currentOffsetDateTime())
        .set(BROKER.HEARTBEAT_AT, DSL.currentOffsetDateTime())
        .set(BROKER.LEASE_EXPIRES_AT, expiry)
        .execute();
  }

  /** Renews this node's lease. */
  public void heartbeat(int nodeId, Duration lease) {
    dsl.update(BROKER)
        .set(BROKER.HEARTBEAT_AT, DSL.currentOffsetDateTime())
        .set(BROKER.LEASE_EXPIRES_AT, leaseEnd(lease))
        .where(BROKER.NODE_ID.eq(nodeId))
        .execute();
  }

  /** Ends this node's lease now (clean shutdown). */
  public void resign(int nodeId) {
    dsl.update(BROKER)
        .set(BROKER.LEASE_EXPIRES_AT, DSL.currentOffsetDateTime())
        .where(BROKER.NODE_ID.eq(nodeId))
        .execute();
  }

  /** Every registered broker, live or not, by id. */
  public List<BrokerInfo> brokers() {
    Field<Boolean> live = DSL.field(BROKER.LEASE_EXPIRES_AT.gt(DSL.currentOffsetDateTime()));
    return dsl.select(
            BROKER.NODE_ID,
            BROKER.ADVERTISED_URL,
            BROKER.STARTED_AT,
            BROKER.LEASE_EXPIRES_AT,
            live,
            BROKER.KAFKA_HOST,
            BROKER.KAFKA_PORT)
        .from(BROKER)
        .orderBy(BROKER.NODE_ID)
        .fetch(r -> new BrokerInfo(
            r.value1(),
            r.value2(),
            r.value3(),
            r.value4(),
            r.value5(),
            r.value6() == null ? null : new BrokerInfo.KafkaAddress(r.value6(), r.value7())));
  }

  /** The advertised URL of each live broker (lease current, database clock), by id. */
  public Map<Integer, String> liveUrls() {
    Map<Integer, String> urls = new HashMap<>();
    dsl.select(BROKER.NODE_ID, BROKER.ADVERTISED_URL)
        .from(BROKER)
        .where(BROKER.LEASE_EXPIRES_AT.gt(DSL.currentOffsetDateTime()))
        .forEach(r -> urls.put(r.value1(), r.value2()));
    return urls;
  }

  /** The node holding the controller role (lease current, database clock), if any. */
  public java.util.Optional<Integer> controller() {
    return dsl.select(CONTROLLER.NODE_ID)
        .from(CONTROLLER)
        .where(CONTROLLER.LEASE_EXPIRES_AT.gt(DSL.currentOffsetDateTime()))
        .fetchOptional(CONTROLLER.NODE_ID);
  }

  private static Field<java.time.OffsetDateTime> leaseEnd(Duration lease) {
    return DSL.field(
        "now() + ({0} * interval '1 millisecond')",
        java.time.OffsetDateTime.class, DSL.val(lease.toMillis()));
  }
}
