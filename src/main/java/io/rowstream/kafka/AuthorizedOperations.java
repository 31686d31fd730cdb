package io.rowstream.kafka;

import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.utils.Utils;

/**
 * Kafka's "authorized operations" bit field of a resource (DescribeCluster, DescribeGroups): the
 * bit of each operation of {@code operations} the caller may perform on it, by Kafka's
 * {@link AclOperation} codes.
 */
public final class AuthorizedOperations {
  private AuthorizedOperations() {}

  public static int of(
      Caller caller, Acl.ResourceType type, String name, Set<Acl.Operation> operations) {
    Set<Byte> codes = new HashSet<>();
    for (Acl.Operation op : operations) {
      if (caller.may(op, type, name)) {
        codes.add(AclOperation.valueOf(op.name()).code());
      }
    }
    return Utils.to32BitField(codes);
  }
}
