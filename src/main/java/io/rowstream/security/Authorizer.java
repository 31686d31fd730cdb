package io.rowstream.security;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's ACL decision over an in-memory snapshot of the {@code acl} table: super users may do
 * anything; otherwise a matching DENY refuses, else a matching ALLOW (or an implying one) permits,
 * else the request is refused (or allowed, when no binding names the resource and
 * {@code allowEveryoneIfNoAclFound}). The snapshot is read again once it is older than the TTL,
 * by one caller while the others go on with the old one, and at once after a change through this
 * node; a check never waits for the database otherwise.
 */
public final class Authorizer implements Permissions {
  private static final Logger LOG = LoggerFactory.getLogger(Authorizer.class);

  private final AclStore store;
  private final Set<String> superUsers;
  private final boolean allowEveryoneIfNoAclFound;
  private final long ttlNanos;
  private final ReentrantLock reloading = new ReentrantLock();
  private volatile Snapshot snapshot;

  private record Snapshot(List<Acl> acls, long loadedAtNanos) {}

  Authorizer(
      AclStore store, Set<String> superUsers, boolean allowEveryoneIfNoAclFound, Duration ttl) {
    this.store = store;
    this.superUsers = Set.copyOf(superUsers);
    this.allowEveryoneIfNoAclFound = allowEveryoneIfNoAclFound;
    this.ttlNanos = ttl.toNanos();
    this.snapshot = new Snapshot(store.all(), System.nanoTime());
  }

  /** Whether the principal is a user named in the super users (a node never is). */
  @Override
  public boolean isSuperUser(Principal principal) {
    return !principal.isNode() && superUsers.contains(principal.toString());
  }

  /**
   * Whether {@code principal}, calling from {@code host}, may perform {@code op} on the resource.
   * A node may do nothing an ACL governs: its one right, the internal append, is not an ACL's.
   */
  @Override
  public boolean authorize(
      Principal principal, String host, Acl.Operation op, Acl.ResourceType type, String name) {
    if (principal.isNode()) {
      return false;
    }
    if (isSuperUser(principal)) {
      return true;
    }
    String who = principal.toString();
    boolean allowed = false;
    boolean anyForResource = false;
    for (Acl acl : current()) {
      if (!acl.covers(type, name)) {
        continue;
      }
      anyForResource = true;
      if (!acl.appliesTo(who, host)) {
        continue;
      }
      if (acl.permission() == Acl.Permission.DENY
          && (acl.operation() == op || acl.operation() == Acl.Operation.ALL)) {
        return false;
      }
      if (acl.permission() == Acl.Permission.ALLOW && acl.operation().allows(op)) {
        allowed = true;
      }
    }
    return allowed || (!anyForResource && allowEveryoneIfNoAclFound);
  }

  /** The ACLs this node decides by now (they change with every binding added or deleted). */
  @Override
  public Object version() {
    return current();
  }

  public List<Acl> list(AclFilter filter) {
    return current().stream().filter(filter::matches).toList();
  }

  /** Adds a binding; false when it existed already. */
  public boolean add(Acl acl) {
    boolean added = store.insert(acl);
    reload();
    return added;
  }

  /** Adds the bindings, all or none (a binding that exists already, or is named twice, is kept once). */
  public void addAll(List<Acl> acls) {
    store.insertAll(List.copyOf(new LinkedHashSet<>(acls)));
    reload();
  }

  /** Deletes the bindings matching the filter and returns them. */
  public List<Acl> delete(AclFilter filter) {
    List<Acl> deleted = store.delete(filter);
    reload();
    return deleted;
  }

  private List<Acl> current() {
    Snapshot s = snapshot;
    if (System.nanoTime() - s.loadedAtNanos - ttlNanos > 0 && reloading.tryLock()) {
      try {
        if (snapshot == s) {
          snapshot = new Snapshot(store.all(), System.nanoTime());
        }
      } catch (RuntimeException e) {
        // Keep deciding with the last snapshot; try again after another TTL.
        LOG.warn("reloading ACLs failed error={}", e.getMessage());
        snapshot = new Snapshot(s.acls, System.nanoTime());
      } finally {
        reloading.unlock();
      }
    }
    return snapshot.acls;
  }

  private void reload() {
    snapshot = new Snapshot(store.all(), System.nanoTime());
  }
}
