package io.rowstream.group;

import java.util.List;

/**
 * The answer to a JoinGroup: the generation the member is in, or only its new member id.
 *
 * @param memberIdRequired the member must join again with {@code memberId} (Kafka's
 *     MEMBER_ID_REQUIRED); the other fields are then empty
 * @param members every member with its metadata for the chosen protocol, for the leader only
 * @param skipAssignment the leader (a static leader that came back) must not compute a new
 *     assignment: the group keeps the one it has
 */
public record ClassicJoined(
    String memberId,
    boolean memberIdRequired,
    int generation,
    String protocolType,
    String protocolName,
    String leaderId,
    boolean skipAssignment,
    List<Member> members) {

  /** A member as the leader sees it. */
  public record Member(String memberId, String groupInstanceId, byte[] metadata) {}

  static ClassicJoined memberIdRequired(String memberId) {
    return new ClassicJoined(memberId, true, -1, null, null, "", false, List.of());
  }
}
