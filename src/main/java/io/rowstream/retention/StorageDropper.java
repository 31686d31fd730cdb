package io.rowstream.retention;

import io.rowstream.db.AdvisoryLock;
import io.rowstream.db.AdvisoryLocks;
import io.rowstream.db.Database;
import io.rowstream.db.Session;
import io.rowstream.retention.StorageTableStore.Attachment;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes segment storages out of {@code chunk} and gives their space back to the file system:
 * detaches each table with {@code DETACH PARTITION CONCURRENTLY} (which takes only SHARE UPDATE
 * EXCLUSIVE on {@code chunk} and waits for the queries that read it through {@code chunk}), then
 * drops it. No row is deleted, so nothing is left for vacuum.
 *
 * <p>Retention detaches the tables of the segments it is about to delete while the segments still
 * point to them ({@link #detach}; a detached table stays readable by name, as appends and fetches
 * address it), then drops them in the transaction that deletes the segments
 * ({@link SegmentStore#deleteSegmentsBefore}). Storages no segment points to any more (replaced by
 * compaction, of a deleted topic, or left by a pass cut short) go through {@link #dropUnreferenced};
 * a detached table a segment still points to goes back into {@code chunk} ({@link #reattachReferenced}).
 * A statement whose snapshot still sees a segment may find its table gone (SQLSTATE 42P01); readers
 * retry with a new snapshot, which sees the new log start ({@code db.StorageTable}).
 *
 * <p>Each step can be cut short (a node dying, a lock timeout) and is taken up again by the next
 * call: a detach left pending is finished with {@code FINALIZE}, a detached table is dropped, and
 * the storage row goes last. A storage is worked on by one session at a time (an advisory lock
 * per storage), so several nodes may call this at once. The statements are
 * {@link StorageTableStore}'s; what to work on, in which order, and what to leave for the next
 * pass is decided here.
 */
public final class StorageDropper {
  private static final Logger LOG = LoggerFactory.getLogger(StorageDropper.class);
  /** At most this many storages per call, so that one call stays short. */
  static final int BATCH = 100;
  /** How long a detach or drop waits for a lock before it gives up until the next pass. */
  static final Duration LOCK_TIMEOUT = Duration.ofSeconds(1);

  private final Database database;
  private final SegmentStore segments;

  StorageDropper(Database database, SegmentStore segments) {
    this.database = database;
    this.segments = segments;
  }

  /**
   * Detaches the given storages' tables from {@code chunk}, without dropping them; returns those
   * no longer attached (detached now or before, or gone). A storage another session is working
   * on, or whose detach timed out waiting for a lock, is left out, to be tried again next pass.
   */
  Set<Long> detach(Collection<Long> storages) {
    Set<Long> detached = new HashSet<>();
    if (storages.isEmpty()) {
      return detached;
    }
    try {
      inSession((session, tables) -> {
        for (long storage : storages) { // one another session is on is left out
          if (session.whileLocked(lock(storage), () -> detach(tables, storage)).orElse(false)) {
            detached.add(storage);
          }
        }
        return null;
      });
    } catch (RuntimeException e) { // a database failure: the rest waits for the next pass
      LOG.warn("detaching segment storage failed error={}", e.getMessage());
    }
    return detached;
  }

  /**
   * Attaches back to {@code chunk} up to {@link #BATCH} tables that retention detached and then did
   * not drop, because a segment still points to them: its delete failed, or the topic's retention
   * was raised before the next pass. Appends and fetches read such a table by name all along; this
   * makes {@code chunk}, and SQL over it, whole again. Returns how many were attached.
   */
  int reattachReferenced() {
    List<Long> storages = segments.detachedReferencedStorages(BATCH);
    if (storages.isEmpty()) {
      return 0;
    }
    try {
      return inSession((session, tables) -> {
        int attached = 0;
        for (long storage : storages) { // one another session is on is left out
          if (session
              .whileLocked(lock(storage), () -> attachBack(tables, storage))
              .orElse(false)) {
            attached++;
          }
        }
        return attached;
      });
    } catch (RuntimeException e) { // a database failure: the rest waits for the next pass
      LOG.warn("attaching segment storage failed error={}", e.getMessage());
      return 0;
    }
  }

  /** Drops up to {@link #BATCH} unreferenced storages; returns how many went. */
  public int dropUnreferenced() {
    List<Long> storages = segments.unreferencedStorages(BATCH);
    if (storages.isEmpty()) {
      return 0;
    }
    try {
      return inSession((session, tables) -> {
        int dropped = 0;
        for (long storage : storages) {
          if (drop(session, tables, storage)) {
            dropped++;
          }
        }
        return dropped;
      });
    } catch (RuntimeException e) { // a database failure: the rest waits for the next pass
      LOG.warn("dropping segment storage failed error={}", e.getMessage());
      return 0;
    }
  }

  /**
   * Runs {@code work} on a pooled session in autocommit (DETACH ... CONCURRENTLY cannot run inside
   * a transaction block) with {@link #LOCK_TIMEOUT}, reset before the connection goes back.
   */
  private <T> T inSession(BiFunction<Session, StorageTableStore, T> work) {
    try (Session session = Session.pooled(database)) {
      StorageTableStore tables = new StorageTableStore(session.autocommit());
      tables.setLockTimeout(LOCK_TIMEOUT);
      try {
        return work.apply(session, tables);
      } finally {
        tables.resetLockTimeout();
      }
    }
  }

  /** Attaches one detached storage's table back (checked again under its lock); whether it did. */
  private boolean attachBack(StorageTableStore tables, long storage) {
    if (tables.attachment(storage) != Attachment.NOT_ATTACHED) {
      return false;
    }
    if (!tables.attach(storage)) {
      return busy(storage);
    }
    LOG.info("segment storage attached again storageId={}", storage);
    return true;
  }

  /** Drops one storage under its lock; false when another session is on it, or it could not go yet. */
  private boolean drop(Session session, StorageTableStore tables, long storage) {
    return session.whileLocked(lock(storage), () -> dropLocked(tables, storage)).orElse(false);
  }

  private boolean dropLocked(StorageTableStore tables, long storage) {
    if (!detach(tables, storage)) {
      return false;
    }
    if (!tables.dropIfExists(storage)) {
      return busy(storage);
    }
    segments.forgetStorages(List.of(storage));
    LOG.info("segment storage dropped storageId={}", storage);
    return true;
  }

  /**
   * Detaches one storage's table from {@code chunk} unless it is not attached (any more): finishes
   * a detach left pending, else detaches concurrently. Whether the table is now out of {@code chunk}.
   */
  private static boolean detach(StorageTableStore tables, long storage) {
    Attachment attachment = tables.attachment(storage);
    if (attachment == Attachment.NOT_ATTACHED) {
      return true;
    }
    long startedNs = System.nanoTime();
    boolean detached = attachment == Attachment.DETACH_PENDING
        ? tables.finishDetach(storage)
        : tables.detachConcurrently(storage);
    if (!detached) {
      return busy(storage);
    }
    LOG.debug(
        "segment storage detached storageId={} ms={}",
        storage,
        (System.nanoTime() - startedNs) / 1_000_000);
    return true;
  }

  /** A statement on the storage gave up waiting for a lock: it is tried again next pass. False. */
  private static boolean busy(long storage) {
    LOG.info(
        "segment storage busy, trying it later storageId={} lockTimeoutMs={}",
        storage,
        LOCK_TIMEOUT.toMillis());
    return false;
  }

  private static AdvisoryLock lock(long storage) {
    return AdvisoryLocks.storage(storage);
  }
}
