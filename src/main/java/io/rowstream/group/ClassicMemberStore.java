package io.rowstream.group;

import static io.rowstream.db.schema.Tables.CLASSIC_MEMBER;
import static io.rowstream.db.schema.Tables.CONSUMER_INSTANCE;

import io.rowstream.db.Tx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * All SQL on {@code classic_member}: what Kafka's classic protocol keeps of a member beside its
 * {@code consumer_instance} row (whose writer is {@link InstanceStore}). Callers hold the group
 * row's lock for every write.
 */
final class ClassicMemberStore {
  private final DSLContext dsl;

  ClassicMemberStore(Tx tx) {
    this.dsl = tx.dsl();
  }

  /** The group's classic members, live or not, in the order they first joined. */
  List<ClassicMember> members(String group) {
    return dsl.select(
            CLASSIC_MEMBER.INSTANCE_ID,
            CONSUMER_INSTANCE.MEMBER_ID,
            CLASSIC_MEMBER.STATIC_MEMBER,
            CLASSIC_MEMBER.PROTOCOL_TYPE,
            CLASSIC_MEMBER.PROTOCOL_NAMES,
            CLASSIC_MEMBER.PROTOCOL_METADATA,
            CLASSIC_MEMBER.REBALANCE_TIMEOUT_MS,
            CONSUMER_INSTANCE.LEASE_EXPIRES_AT.gt(DSL.currentOffsetDateTime()).as("live"),
            CLASSIC_MEMBER.REJOINED,
            CLASSIC_MEMBER.ASSIGNMENT,
            CLASSIC_MEMBER.CLIENT_ID,
            CLASSIC_MEMBER.CLIENT_HOST)
        .from(CLASSIC_MEMBER)
        .join(CONSUMER_INSTANCE)
        .on(
            CONSUMER_INSTANCE.GROUP_NAME.eq(CLASSIC_MEMBER.GROUP_NAME),
            CONSUMER_INSTANCE.INSTANCE_ID.eq(CLASSIC_MEMBER.INSTANCE_ID))
        .where(CLASSIC_MEMBER.GROUP_NAME.eq(group))
        .orderBy(CONSUMER_INSTANCE.CREATED_AT, CLASSIC_MEMBER.INSTANCE_ID)
        .fetch(r -> {
          String[] names = r.value5();
          byte[][] metadata = r.value6();
          List<ClassicProtocol> protocols = new ArrayList<>();
          for (int i = 0; i < names.length; i++) {
            protocols.add(new ClassicProtocol(names[i], metadata[i]));
          }
          return new ClassicMember(
              r.value1(),
              r.value2(),
              r.value3(),
              r.value4(),
              List.copyOf(protocols),
              r.value7(),
              r.get("live", Boolean.class),
              r.value9(),
              r.value10(),
              r.value11(),
              r.value12());
        });
  }

  /** Records a member's JoinGroup: inserted, or its protocols and client updated; it has rejoined. */
  void joined(String group, String instanceId, boolean staticMember, ClassicJoin join) {
    String[] names = join.protocols().stream().map(ClassicProtocol::name).toArray(String[]::new);
    byte[][] metadata =
        join.protocols().stream().map(ClassicProtocol::metadata).toArray(byte[][]::new);
    Map<Field<?>, Object> joined = new LinkedHashMap<>();
    joined.put(CLASSIC_MEMBER.PROTOCOL_TYPE, join.protocolType());
    joined.put(CLASSIC_MEMBER.PROTOCOL_NAMES, names);
    joined.put(CLASSIC_MEMBER.PROTOCOL_METADATA, metadata);
    joined.put(CLASSIC_MEMBER.REBALANCE_TIMEOUT_MS, join.rebalanceTimeoutMs());
    joined.put(CLASSIC_MEMBER.CLIENT_ID, join.clientId());
    joined.put(CLASSIC_MEMBER.CLIENT_HOST, join.clientHost());
    joined.put(CLASSIC_MEMBER.REJOINED, true);
    dsl.insertInto(CLASSIC_MEMBER)
        .set(CLASSIC_MEMBER.GROUP_NAME, group)
        .set(CLASSIC_MEMBER.INSTANCE_ID, instanceId)
        .set(CLASSIC_MEMBER.STATIC_MEMBER, staticMember)
        .set(joined)
        .onConflict(CLASSIC_MEMBER.GROUP_NAME, CLASSIC_MEMBER.INSTANCE_ID)
        .doUpdate()
        .set(joined)
        .execute();
  }

  /** A rebalance begins: no member has rejoined it yet. */
  void clearRejoined(String group) {
    dsl.update(CLASSIC_MEMBER)
        .set(CLASSIC_MEMBER.REJOINED, false)
        .where(CLASSIC_MEMBER.GROUP_NAME.eq(group))
        .execute();
  }

  /** The member has rejoined the rebalance under way. */
  void markRejoined(String group, String instanceId) {
    dsl.update(CLASSIC_MEMBER)
        .set(CLASSIC_MEMBER.REJOINED, true)
        .where(CLASSIC_MEMBER.GROUP_NAME.eq(group), CLASSIC_MEMBER.INSTANCE_ID.eq(instanceId))
        .execute();
  }

  /** A join completed: a new generation, in which the leader has given nothing yet. */
  void newGeneration(String group) {
    dsl.update(CLASSIC_MEMBER)
        .set(CLASSIC_MEMBER.REJOINED, false)
        .setNull(CLASSIC_MEMBER.ASSIGNMENT)
        .where(CLASSIC_MEMBER.GROUP_NAME.eq(group))
        .execute();
  }

  /** Stores the leader's assignment: each member's bytes (by instance id). */
  void assign(String group, Map<String, byte[]> byInstance) {
    byInstance.forEach((instanceId, bytes) -> dsl.update(CLASSIC_MEMBER)
        .set(CLASSIC_MEMBER.ASSIGNMENT, bytes)
        .where(CLASSIC_MEMBER.GROUP_NAME.eq(group), CLASSIC_MEMBER.INSTANCE_ID.eq(instanceId))
        .execute());
  }
}
