package io.rowstream.db;

/**
 * Every PostgreSQL advisory-lock key the broker uses, in one place, so that no two uses can share
 * a key. PostgreSQL keeps two key spaces apart: one 64-bit key ({@code pg_locks.objsubid} 1, the
 * key split into {@code classid} high and {@code objid} low) and a pair of 32-bit numbers, a class
 * and an object ({@code objsubid} 2). Each key below spells its use in ASCII ("rs…" for Rowstream).
 * Flyway takes a lock of its own while it migrates (keyed by its schema history table's name).
 *
 * <table>
 *   <caption>Key spaces</caption>
 *   <tr><th>key</th><th>held by</th><th>kind</th></tr>
 *   <tr><td>{@link #CONTROLLER}</td><td>the controller, on its node's session connection</td><td>session</td></tr>
 *   <tr><td>{@link #LOG_MAINTENANCE}</td><td>a log maintenance pass (retention, compaction)</td><td>session</td></tr>
 *   <tr><td>{@link #GROUP_REAPER}</td><td>a group maintenance pass (expired members, rebalances)</td><td>session</td></tr>
 *   <tr><td>{@link #NODE_CLASS}, node id</td><td>a live node, on its session connection</td><td>session</td></tr>
 *   <tr><td>{@link #STORAGE_CLASS}, storage id</td><td>the session detaching or dropping a segment table</td><td>session</td></tr>
 *   <tr><td>{@link #CONSUMER_PRINCIPAL_CLASS}, {@code hashtext(principal)}</td><td>a consumer instance create, against its owner's caps</td><td>transaction</td></tr>
 * </table>
 */
public final class AdvisoryLocks {
  /** The controller role ("rscontrl"). */
  public static final long CONTROLLER = 0x7273_636f_6e74_726cL;
  /** One log maintenance pass at a time, cluster-wide ("rslogmnt"). */
  public static final long LOG_MAINTENANCE = 0x7273_6c6f_676d_6e74L;
  /** One group maintenance pass at a time, cluster-wide ("rsgroups"). */
  public static final long GROUP_REAPER = 0x7273_6772_6f75_7073L;
  /** Class of the node locks ("rsnd"); the object is the node id. A node is live while its session holds it. */
  public static final int NODE_CLASS = 0x7273_6e64;
  /** Class of the per-storage locks ("rsst"); the object is the storage id (a segment table). */
  public static final int STORAGE_CLASS = 0x7273_7374;
  /** Class of the per-principal transaction locks of consumer instance creates ("rsco"); the object is the principal's {@code hashtext}. */
  public static final int CONSUMER_PRINCIPAL_CLASS = 0x7273_636f;

  private AdvisoryLocks() {}

  /** The controller role's lock. */
  public static AdvisoryLock controller() {
    return AdvisoryLock.of(CONTROLLER);
  }

  /** The log maintenance lock. */
  public static AdvisoryLock logMaintenance() {
    return AdvisoryLock.of(LOG_MAINTENANCE);
  }

  /** The group maintenance lock. */
  public static AdvisoryLock groupReaper() {
    return AdvisoryLock.of(GROUP_REAPER);
  }

  /** The lock a live node holds on its session. */
  public static AdvisoryLock node(int nodeId) {
    return AdvisoryLock.of(NODE_CLASS, nodeId);
  }

  /** The lock of one storage (segment table) being detached or dropped. */
  public static AdvisoryLock storage(long storageId) {
    // ids past 2^31 share locks with smaller ones: a skipped turn at worst
    return AdvisoryLock.of(STORAGE_CLASS, (int) storageId);
  }
}
