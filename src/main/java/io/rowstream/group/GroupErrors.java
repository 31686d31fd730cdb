package io.rowstream.group;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;

/** The refusals of consumer instances and groups, worded once. */
public final class GroupErrors {
  private GroupErrors() {}

  /** 40403: no such instance, or its lease has ended (Kafka UNKNOWN_MEMBER_ID). */
  public static BrokerException notFound(String group, String id) {
    return new BrokerException(
        BrokerError.CONSUMER_INSTANCE_NOT_FOUND,
        "Consumer instance '" + id + "' not found in group '" + group + "'.");
  }

  /** 40903: the request does not fit the instance's state (Kafka IllegalStateException, ILLEGAL_GENERATION). */
  public static BrokerException illegalState(String message) {
    return new BrokerException(BrokerError.ILLEGAL_CONSUMER_STATE, "Illegal state: " + message);
  }

  /** No such group (Kafka GROUP_ID_NOT_FOUND). */
  public static BrokerException groupNotFound(String group) {
    return new BrokerException(
        BrokerError.GROUP_NOT_FOUND, "The group '" + group + "' does not exist.");
  }
}
