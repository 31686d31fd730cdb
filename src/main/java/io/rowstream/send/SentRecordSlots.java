package io.rowstream.send;

import io.rowstream.db.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties the slot of {@code sent_record} that sends will write into next (ten seconds from now at
 * most), once every row in it was moved: one {@code TRUNCATE}, where deleting row by row would
 * leave a dead row per record. It checks twice: without a lock, so that a slot still moving costs
 * no lock; then holding the slot's table alone, which no sender is writing in and no mover reading
 * then (it gives up at once otherwise and tries again later), so no row can commit between the
 * check and the truncation.
 */
final class SentRecordSlots {
  private static final Logger LOG = LoggerFactory.getLogger(SentRecordSlots.class);

  private final Transactions transactions;

  /** The slot's table was in use: its transaction rolls back. */
  private static final class InUse extends RuntimeException {
    InUse() {
      super("sent-record slot in use", null, false, false);
    }
  }

  SentRecordSlots(Transactions transactions) {
    this.transactions = transactions;
  }

  /** Empties the next slot if all of its rows were moved; whether it emptied it. */
  boolean emptyNext() {
    return empty(new SentRecordStore(transactions.autocommit()).nextSlot());
  }

  /** Empties slot {@code slot} (0..2) if it has rows and all were moved; whether it emptied it. */
  boolean empty(int slot) {
    SentRecordStore unlocked = new SentRecordStore(transactions.autocommit());
    if (!unlocked.slotHasRows(slot) || unlocked.slotHasUnmoved(slot)) {
      return false;
    }
    try {
      return transactions.result(tx -> {
        SentRecordStore store = new SentRecordStore(tx);
        if (!store.lockSlot(slot)) {
          throw new InUse(); // rolls the transaction back
        }
        if (store.slotHasUnmoved(slot)) {
          return false;
        }
        store.truncateSlot(slot);
        LOG.debug("emptied sent-record slot {}", slot);
        return true;
      });
    } catch (InUse e) {
      return false; // the next attempt
    }
  }
}
