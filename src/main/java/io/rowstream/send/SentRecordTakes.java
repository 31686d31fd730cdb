package io.rowstream.send;

import io.rowstream.db.Tx;
import io.rowstream.log.LogRecord;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One move of a topic's partitions, in one transaction, as one {@link SentRecordTake} per
 * partition sharing three statements: the first take to run locks every partition's progress and
 * reads every partition's first piece, and the last one to finish records what all of them moved.
 * Only a partition with more than a first piece reads more on its own. The first pieces share
 * {@link SentRecordTake#PIECE_BYTES} between them, so one move holds no more than that in memory.
 */
final class SentRecordTakes {
  private final long topicId;
  private final SortedMap<Integer, SentRecordTake> takes = new TreeMap<>();
  private final SortedMap<Integer, SentRecordStore.Progress> moved = new TreeMap<>();
  private SortedMap<Integer, SentRecordStore.Progress> progress;
  private Map<Integer, SentRecordStore.Piece> firstPieces;
  private int finished;

  /** The takes of a mover: {@link SentRecordMover#TAKE} rows at least each. */
  SentRecordTakes(long topicId, SortedSet<Integer> partitions) {
    this(topicId, partitions, SentRecordMover.TAKE, SentRecordTake.PIECE_ROWS);
  }

  SentRecordTakes(long topicId, SortedSet<Integer> partitions, int take, int pieceRows) {
    this.topicId = topicId;
    for (int p : partitions) {
      takes.put(p, new SentRecordTake(this, topicId, p, take, pieceRows));
    }
  }

  /** The takes, by partition, for {@code PartitionLog#appendTaken}. */
  SortedMap<Integer, Function<Tx, List<LogRecord>>> byPartition() {
    return new TreeMap<>(takes);
  }

  SortedMap<Integer, SentRecordTake> takes() {
    return takes;
  }

  /** Locks the partitions' progress and reads their first pieces, once. */
  void start(SentRecordStore store, int pieceRows) {
    if (progress != null) {
      return;
    }
    progress = store.lockProgress(topicId, takes.keySet().toArray(Integer[]::new));
    long bytes = Math.max(1, SentRecordTake.PIECE_BYTES / Math.max(1, progress.size()));
    firstPieces = store.firstPieces(topicId, progress, pieceRows, bytes);
  }

  SentRecordStore.Progress progress(int partition) {
    SentRecordStore.Progress p = progress.get(partition);
    if (p == null) {
      throw new IllegalStateException("no progress row for partition " + partition);
    }
    return p;
  }

  SentRecordStore.Piece firstPiece(int partition) {
    return firstPieces.get(partition);
  }

  /**
   * A take finished: {@code now} is what its partition's progress becomes (null: unchanged). The
   * last one records them all.
   */
  void finished(SentRecordStore store, int partition, SentRecordStore.Progress now) {
    if (now != null) {
      moved.put(partition, now);
    }
    if (++finished == takes.size()) {
      store.record(topicId, moved);
    }
  }
}
