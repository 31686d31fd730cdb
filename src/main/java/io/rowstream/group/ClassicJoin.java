package io.rowstream.group;

import java.util.List;

/**
 * A JoinGroup of Kafka's classic protocol.
 *
 * @param memberId empty on a member's first join
 * @param groupInstanceId its group.instance.id (static membership); null for a dynamic member
 * @param protocols the protocols it supports, most preferred first
 * @param memberIdRequired whether a first join of a dynamic member only gets its member id
 *     (JoinGroup v4+: MEMBER_ID_REQUIRED)
 * @param skipAssignmentKnown whether the client understands a leader's {@code skipAssignment}
 *     (JoinGroup v9+)
 */
public record ClassicJoin(
    String group,
    String memberId,
    String groupInstanceId,
    String protocolType,
    List<ClassicProtocol> protocols,
    int sessionTimeoutMs,
    int rebalanceTimeoutMs,
    String clientId,
    String clientHost,
    boolean memberIdRequired,
    boolean skipAssignmentKnown) {}
