package io.rowstream.group;

import io.rowstream.security.Caller;
import java.util.Optional;

/**
 * Who may act on a consumer instance: the principal that created it, or a super user. Any other
 * caller finds no instance (40403), exactly as if it did not exist, and does not renew its lease.
 * The stores that read or renew instance rows turn this into their condition on
 * {@code consumer_instance.owner_principal}.
 */
public final class InstanceOwner {
  private InstanceOwner() {}

  /** The owner an instance must have for {@code caller} to act on it; empty: any (a super user). */
  public static Optional<String> requiredFor(Caller caller) {
    return caller.isSuperUser()
        ? Optional.empty()
        : Optional.of(caller.principal().toString());
  }
}
