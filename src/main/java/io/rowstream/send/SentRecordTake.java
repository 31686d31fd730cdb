package io.rowstream.send;

import io.rowstream.db.Tx;
import io.rowstream.log.LogRecord;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One move's take of a partition's sent rows, handed to {@code PartitionLog#appendTaken} piece by
 * piece in its one transaction. The first call locks the partition's progress (movers of one
 * partition take turns) and fixes what the move takes: the rows of the sender transactions that
 * finished since the last move's snapshot, as of a snapshot taken now, in transaction id order
 * (PgQ's batches); when there are more than {@link SentRecordMover#TAKE} rows, whole transactions
 * up to the last among the first that many, and the rest of that batch (same snapshot) goes to the
 * next moves. Each call then answers the next piece after the last row taken, so however large a
 * sender transaction is, one piece at a time is in memory and the whole move is appended
 * contiguously. The last call, which finds no piece, records what was moved in the same
 * transaction, so each row is appended exactly once whatever dies when.
 *
 * <p>A transaction with a smaller id that finished after the snapshot waits for the next batch;
 * one that committed before another began has finished in every snapshot the other has, and has
 * the smaller id, so its rows come first.
 */
final class SentRecordTake implements Function<Tx, List<LogRecord>> {
  /** Rows in one piece at most. */
  static final int PIECE_ROWS = 500;

  /** Bytes of keys, values and headers in one piece at most (but at least one row). */
  static final long PIECE_BYTES = 8L << 20;

  private final SentRecordTakes move;
  private final long topicId;
  private final int partition;
  private final int take;
  private final int pieceRows;
  private boolean started;
  private boolean exhausted;
  private boolean finished;
  private boolean batchGoesOn;
  private SentRecordStore.Progress progress;
  private long taken;
  private String cut;
  private SentRecordStore.Taken.Position last = SentRecordStore.Taken.Position.START;

  /** A take of at least {@code take} rows (whole sender transactions), {@code pieceRows} a piece. */
  SentRecordTake(SentRecordTakes move, long topicId, int partition, int take, int pieceRows) {
    this.move = move;
    this.topicId = topicId;
    this.partition = partition;
    this.take = take;
    this.pieceRows = pieceRows;
  }

  /** A move of one partition alone: {@code take} rows at least, {@code pieceRows} a piece. */
  static SentRecordTake alone(long topicId, int partition, int take, int pieceRows) {
    return new SentRecordTakes(topicId, new TreeSet<>(List.of(partition)), take, pieceRows)
        .takes()
        .get(partition);
  }

  /** Whether, once the take ran, the rest of its batch waits for another (it met its bound). */
  boolean batchGoesOn() {
    return batchGoesOn;
  }

  @Override
  public List<LogRecord> apply(Tx tx) {
    if (finished) {
      return List.of();
    }
    SentRecordStore store = new SentRecordStore(tx);
    SentRecordStore.Piece piece;
    if (!started) {
      started = true;
      move.start(store, pieceRows);
      progress = move.progress(partition);
      piece = move.firstPiece(partition);
    } else if (exhausted) {
      piece = new SentRecordStore.Piece(List.of(), false);
    } else {
      piece = store.piece(topicId, partition, progress, cut, last, pieceRows, PIECE_BYTES);
    }
    exhausted = !piece.more();
    List<SentRecordStore.Taken> rows = piece.rows();
    if (rows.isEmpty()) {
      finish(store);
      return List.of();
    }
    last = rows.getLast().position();
    taken += rows.size();
    if (cut == null && taken >= take) {
      cut = last.xid(); // whole transactions: the rest of this one, and no later one
    }
    return rows.stream().map(SentRecordStore.Taken::record).toList();
  }

  /**
   * Hands the move what this partition's progress becomes (the last take to finish records them
   * all in the move's transaction); nothing when it moved nothing new.
   */
  private void finish(SentRecordStore store) {
    finished = true;
    SentRecordStore.Progress now = null;
    if (cut != null && store.more(topicId, partition, progress, cut)) {
      batchGoesOn = true;
      now = new SentRecordStore.Progress(progress.moved(), progress.upTo(), cut, null);
    } else if (taken > 0 || progress.batch() != null) {
      now = new SentRecordStore.Progress(progress.upTo(), null, null, null);
    }
    move.finished(store, partition, now);
  }
}
