package io.rowstream.produce;

import static io.rowstream.db.schema.Tables.PRODUCER;

import io.rowstream.BrokerError;
import io.rowstream.BrokerException;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * All SQL on the {@code producer} table: Kafka's InitProducerId over HTTP. The sequences
 * themselves are checked inside {@code append_chunks}.
 */
public final class ProducerStore {
  /** A producer id and the epoch to send with it. */
  public record ProducerIdentity(long producerId, short producerEpoch) {}

  private final DSLContext dsl;

  public ProducerStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** A new producer id at epoch 0. */
  public ProducerIdentity create() {
    return dsl.insertInto(PRODUCER).defaultValues()
        .returning(PRODUCER.PRODUCER_ID, PRODUCER.PRODUCER_EPOCH)
        .fetchSingle(r -> new ProducerIdentity(r.getProducerId(), r.getProducerEpoch()));
  }

  /**
   * Bumps the epoch of a producer that presents its current one (a restarted producer, or one
   * that lost track of its sequences): requests under the old epoch are fenced from then on, and
   * the new epoch starts every partition at sequence 0. An epoch that is not the current one is
   * PRODUCER_FENCED (another instance bumped it); at the largest epoch a new producer id is given,
   * as Kafka does.
   */
  public ProducerIdentity bump(long producerId, short producerEpoch) {
    return dsl.transactionResult(tx -> {
      DSLContext t = tx.dsl();
      Short current = t.select(PRODUCER.PRODUCER_EPOCH).from(PRODUCER)
          .where(PRODUCER.PRODUCER_ID.eq(producerId)).forUpdate().fetchOne(PRODUCER.PRODUCER_EPOCH);
      if (current == null) {
        throw new BrokerException(BrokerError.UNKNOWN_PRODUCER_ID, "Producer id " + producerId + " is unknown.");
      }
      if (current != producerEpoch) {
        throw new BrokerException(BrokerError.PRODUCER_FENCED, "Producer " + producerId + " is at epoch " + current
            + ", not " + producerEpoch + ": another instance of it took over.");
      }
      if (current == Short.MAX_VALUE) {
        return new ProducerStore(t).create();
      }
      t.update(PRODUCER)
          .set(PRODUCER.PRODUCER_EPOCH, (short) (current + 1))
          .set(PRODUCER.EPOCH_BUMPED_AT, DSL.currentOffsetDateTime())
          .where(PRODUCER.PRODUCER_ID.eq(producerId))
          .execute();
      return new ProducerIdentity(producerId, (short) (current + 1));
    });
  }
}
