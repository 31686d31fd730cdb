package io.rowstream.send;

import io.rowstream.db.Tx;
import io.rowstream.log.LogRecord;
import java.util.List;
import java.util.function.Function;

/**
 * One move's take of a partition's sent rows, handed to {@code PartitionLog#appendTaken} piece by
 * piece in its one transaction: the first call locks the partition's row (movers of one partition
 * take turns) and fixes the cut (whole sender transactions, up to the last among the oldest
 * {@link SentRecordMover#TAKE} rows); each call then deletes and answers the next piece after the
 * last row taken, so however large a sender transaction is, one piece at a time is in memory and
 * the whole move is appended contiguously. A transaction with a smaller id that commits during the
 * move waits for the next one rather than landing inside a transaction already being moved.
 */
final class SentRecordTake implements Function<Tx, List<LogRecord>> {
  /** Rows in one piece at most. */
  static final int PIECE_ROWS = 500;

  /** Bytes of keys, values and headers in one piece at most (but at least one row). */
  static final long PIECE_BYTES = 8L << 20;

  private final long topicId;
  private final int partition;
  private final int take;
  private final int pieceRows;
  private boolean started;
  private String cut;
  private SentRecordStore.Taken.Position last = SentRecordStore.Taken.Position.START;

  /** A mover's take: {@link SentRecordMover#TAKE} rows at least, pieces of {@link #PIECE_ROWS}. */
  SentRecordTake(long topicId, int partition) {
    this(topicId, partition, SentRecordMover.TAKE, PIECE_ROWS);
  }

  /** A take of at least {@code take} rows (whole sender transactions), {@code pieceRows} a piece. */
  SentRecordTake(long topicId, int partition, int take, int pieceRows) {
    this.topicId = topicId;
    this.partition = partition;
    this.take = take;
    this.pieceRows = pieceRows;
  }

  @Override
  public List<LogRecord> apply(Tx tx) {
    SentRecordStore store = new SentRecordStore(tx);
    if (!started) {
      started = true;
      if (!store.lockPartition(topicId, partition)) {
        return List.of();
      }
      cut = store.cut(topicId, partition, take);
    }
    if (cut == null) {
      return List.of();
    }
    List<SentRecordStore.Taken> piece =
        store.piece(cut, last, pieceRows, PIECE_BYTES, topicId, partition);
    if (piece.isEmpty()) {
      return List.of();
    }
    last = piece.getLast().position();
    return piece.stream().map(SentRecordStore.Taken::record).toList();
  }
}
