package io.rowstream.group;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A classic group member as stored: its {@code consumer_instance} row (lease, member id) and its
 * {@code classic_member} row.
 *
 * @param instanceId its group.instance.id when {@code staticMember}, else its member id
 * @param live whether its lease runs (database clock)
 * @param rejoined whether it has sent JoinGroup in the rebalance under way
 * @param assignment what the leader gave it in the current generation; null before the leader synced
 * @param clientId the client id of its last JoinGroup
 * @param clientHost the address its last JoinGroup came from
 */
record ClassicMember(
    String instanceId,
    String memberId,
    boolean staticMember,
    String protocolType,
    List<ClassicProtocol> protocols,
    int rebalanceTimeoutMs,
    boolean live,
    boolean rejoined,
    byte[] assignment,
    String clientId,
    String clientHost) {

  /** Its group.instance.id; null for a dynamic member. */
  String groupInstanceId() {
    return staticMember ? instanceId : null;
  }

  /** Its metadata for {@code protocol}, if it supports it. */
  Optional<byte[]> metadata(String protocol) {
    return protocols.stream()
        .filter(p -> p.name().equals(protocol))
        .map(ClassicProtocol::metadata)
        .findFirst();
  }

  /** Whether {@code others} are the same protocols, metadata included (Kafka's {@code matches}). */
  boolean sameProtocols(String type, List<ClassicProtocol> others) {
    if (!protocolType.equals(type) || others.size() != protocols.size()) {
      return false;
    }
    for (int i = 0; i < others.size(); i++) {
      if (!others.get(i).name().equals(protocols.get(i).name())
          || !Arrays.equals(others.get(i).metadata(), protocols.get(i).metadata())) {
        return false;
      }
    }
    return true;
  }
}
