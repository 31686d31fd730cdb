package io.rowstream.group;

import io.rowstream.db.Transactions;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;

/**
 * Deletion of whole groups (Kafka's DeleteGroups). A group is deleted only while no consumer
 * instance of it holds a running lease: a subscribed member, and also an HTTP instance that
 * assigned partitions itself, since its row belongs to the group and would go with it (Kafka's
 * NON_EMPTY_GROUP); instances whose lease has ended go with the group, as the reaper would have
 * deleted them.
 */
public final class GroupAdmin {
  private final Transactions transactions;

  public GroupAdmin(Transactions transactions) {
    this.transactions = transactions;
  }

  /**
   * Deletes the group, its committed offsets and its ended instances in one transaction, holding
   * the group row {@code FOR UPDATE} (so no member joins and no offset is committed meanwhile);
   * the caller needs Delete on the group (GROUP_AUTHORIZATION_FAILED). GROUP_NOT_FOUND when there is
   * no such group, NON_EMPTY_GROUP while an instance of it is live.
   */
  public void delete(Caller caller, String group) {
    caller.require(Acl.Operation.DELETE, Acl.ResourceType.GROUP, group);
    transactions.run(tx -> {
      GroupStore groups = new GroupStore(tx);
      if (groups.lockForUpdate(group).isEmpty()) {
        throw GroupErrors.groupNotFound(group);
      }
      int live = new MemberStore(tx).liveInstances(group);
      if (live > 0) {
        throw new BrokerException(
            BrokerError.NON_EMPTY_GROUP,
            "The group '" + group + "' has " + live + " live consumer instance"
                + (live == 1 ? "" : "s") + "; it can be deleted once they are gone.");
      }
      new OffsetStore(tx).deleteAll(group);
      groups.delete(group);
    });
  }
}
