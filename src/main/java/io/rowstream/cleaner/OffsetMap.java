package io.rowstream.cleaner;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Key → latest offset for the dirty part of a log, bounded in memory (the idea of Kafka's
 * {@code SkimpyOffsetMap}): each entry is a key's 16-byte digest and an offset, 24 bytes, in an
 * open-addressing table with linear probing that never grows. It holds at most {@link #capacity()}
 * keys, three quarters of its slots, so that probes stay short; a new key past that is refused, not
 * stored. Not thread-safe: one cleaner thread owns a map and may {@link #clear()} and reuse it for
 * partition after partition.
 */
public final class OffsetMap {
  /** Memory of one slot: digest high and low halves and the offset, one long each. */
  public static final int BYTES_PER_SLOT = 3 * Long.BYTES;

  private static final double LOAD_FACTOR = 0.75;
  private static final int MAX_SLOTS = Integer.MAX_VALUE / 3;

  /** {@code slots} triples of (digest high, digest low, offset + 1); offset + 1 of 0 marks a free slot. */
  private final long[] table;

  private final int slots;
  private final int capacity;
  private final MessageDigest md5;
  private int size;

  private OffsetMap(int slots) {
    this.slots = slots;
    this.capacity = Math.max(1, Math.min(slots - 1, (int) (slots * LOAD_FACTOR)));
    this.table = new long[3 * slots];
    this.md5 = newMd5();
  }

  /** A map that holds up to {@code keys} distinct keys. */
  public static OffsetMap withCapacity(int keys) {
    if (keys < 1) {
      throw new IllegalArgumentException("an offset map holds at least one key, not " + keys);
    }
    long slots = Math.max(keys + 1L, (long) Math.ceil(keys / LOAD_FACTOR));
    return new OffsetMap(checkedSlots(slots));
  }

  /** The largest map whose table fits in {@code bytes} (Kafka's {@code log.cleaner.dedupe.buffer.size}). */
  public static OffsetMap withMemory(long bytes) {
    return new OffsetMap(checkedSlots(bytes / BYTES_PER_SLOT));
  }

  private static int checkedSlots(long slots) {
    if (slots < 2 || slots > MAX_SLOTS) {
      throw new IllegalArgumentException("an offset map has between 2 and " + MAX_SLOTS
          + " slots of " + BYTES_PER_SLOT + " bytes, not " + slots);
    }
    return (int) slots;
  }

  /**
   * Records that {@code key} occurs at {@code offset}, keeping the larger offset when the key is
   * already present. Returns false, storing nothing, when the key is new and the map is full.
   */
  public boolean put(ByteBuffer key, long offset) {
    return put(digest(key), offset);
  }

  /** The latest offset recorded for {@code key}, or -1 when the map does not hold it. */
  public long latestOffset(ByteBuffer key) {
    return latestOffset(digest(key));
  }

  /** Distinct keys held. */
  public int size() {
    return size;
  }

  /** The most distinct keys this map holds. */
  public int capacity() {
    return capacity;
  }

  /** True when no new key fits. */
  public boolean isFull() {
    return size >= capacity;
  }

  /** The bytes its table takes. */
  public long memoryBytes() {
    return (long) slots * BYTES_PER_SLOT;
  }

  /** Forgets every key, keeping the table for the next partition. */
  public void clear() {
    Arrays.fill(table, 0L);
    size = 0;
  }

  KeyDigest digest(ByteBuffer key) {
    md5.update(key.duplicate());
    byte[] d = md5.digest();
    return new KeyDigest(
        ByteBuffer.wrap(d, 0, 8).getLong(), ByteBuffer.wrap(d, 8, 8).getLong());
  }

  boolean put(KeyDigest digest, long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offsets are not negative: " + offset);
    }
    int at = find(digest);
    if (table[at + 2] != 0) {
      table[at + 2] = Math.max(table[at + 2], offset + 1);
      return true;
    }
    if (isFull()) {
      return false;
    }
    table[at] = digest.high();
    table[at + 1] = digest.low();
    table[at + 2] = offset + 1;
    size++;
    return true;
  }

  long latestOffset(KeyDigest digest) {
    return table[find(digest) + 2] - 1;
  }

  boolean contains(KeyDigest digest) {
    return table[find(digest) + 2] != 0;
  }

  /**
   * The table index of {@code digest}'s triple, or of the free slot where it would go. Terminates
   * because at least one slot is always free ({@code capacity < slots}).
   */
  private int find(KeyDigest digest) {
    int slot = (int) Long.remainderUnsigned(digest.low(), slots);
    while (true) {
      int at = 3 * slot;
      if (table[at + 2] == 0 || (table[at] == digest.high() && table[at + 1] == digest.low())) {
        return at;
      }
      slot = slot + 1 == slots ? 0 : slot + 1;
    }
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(
          "every Java platform provides MD5; its absence indicates a broken JDK", e);
    }
  }
}
