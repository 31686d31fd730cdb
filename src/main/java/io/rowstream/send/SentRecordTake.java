package io.rowstream.send;

import io.rowstream.db.Tx;
import io.rowstream.log.LogRecord;
import java.util.List;
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

  /** Whether, once the take ran, the rest of its batch waits for another (it met its bound). */
  boolean batchGoesOn() {
    return batchGoesOn;
  }

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
      progress = store.lockProgress(topicId, partition);
    }
    if (finished) {
      return List.of();
    }
    List<SentRecordStore.Taken> rows = List.of();
    if (!exhausted) {
      SentRecordStore.Piece piece =
          store.piece(topicId, partition, progress, cut, last, pieceRows, PIECE_BYTES);
      rows = piece.rows();
      exhausted = !piece.more();
    }
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

  /** Records in the move's transaction what it moved; nothing when it moved nothing new. */
  private void finish(SentRecordStore store) {
    finished = true;
    if (cut != null && store.more(topicId, partition, progress, cut)) {
      batchGoesOn = true;
      store.movedUpTo(topicId, partition, progress.upTo(), cut);
    } else if (taken > 0 || progress.batch() != null) {
      store.moved(topicId, partition, progress.upTo());
    }
  }
}
