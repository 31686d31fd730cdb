package io.rowstream.produce;

import static io.rowstream.db.schema.Tables.PRODUCER;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * All SQL on the {@code producer} table: Kafka's InitProducerId over HTTP. The sequences
 * themselves are checked inside {@code append_chunks}.
 */
public final class ProducerStore {
  private final DSLContext dsl;

  public ProducerStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** A new producer id at epoch 0, owned by {@code principal}; ids come from {@code ids} until one is free. */
  ProducerIdentity create(String principal, LongSupplier ids) {
    return create(dsl, principal, ids);
  }

  private static ProducerIdentity create(DSLContext dsl, String principal, LongSupplier ids) {
    while (true) {
      Optional<ProducerIdentity> created = dsl.insertInto(PRODUCER)
          .set(PRODUCER.PRODUCER_ID, ids.getAsLong())
          .set(PRODUCER.PRINCIPAL, principal)
          .onConflictDoNothing()
          .returning(PRODUCER.PRODUCER_ID, PRODUCER.PRODUCER_EPOCH)
          .fetchOptional(r -> new ProducerIdentity(r.getProducerId(), r.getProducerEpoch()));
      if (created.isPresent()) {
        return created.get();
      }
    }
  }

  /** The principal that owns the producer id; empty when the id is unknown. */
  Optional<String> owner(long producerId) {
    return dsl.select(PRODUCER.PRINCIPAL)
        .from(PRODUCER)
        .where(PRODUCER.PRODUCER_ID.eq(producerId))
        .fetchOptional(PRODUCER.PRINCIPAL);
  }

  /**
   * Bumps the epoch of a producer that presents its current one (a restarted producer, or one
   * that lost track of its sequences): requests under the old epoch are fenced from then on, and
   * the new epoch starts every partition at sequence 0. Only the owner may bump it
   * (PRODUCER_ID_NOT_AUTHORIZED otherwise). An epoch that is not the current one is
   * PRODUCER_FENCED (another instance bumped it); at the largest epoch a new producer id is given,
   * as Kafka does.
   */
  ProducerIdentity bump(String principal, long producerId, short producerEpoch, LongSupplier ids) {
    return dsl.transactionResult(tx -> {
      DSLContext t = tx.dsl();
      var row = t.select(PRODUCER.PRODUCER_EPOCH, PRODUCER.PRINCIPAL)
          .from(PRODUCER)
          .where(PRODUCER.PRODUCER_ID.eq(producerId))
          .forUpdate()
          .fetchOne();
      if (row == null) {
        throw new BrokerException(
            BrokerError.UNKNOWN_PRODUCER_ID, "Producer id " + producerId + " is unknown.");
      }
      if (!row.value2().equals(principal)) {
        throw IdempotentProducers.notOwner(principal, producerId);
      }
      short current = row.value1();
      if (current != producerEpoch) {
        throw new BrokerException(
            BrokerError.PRODUCER_FENCED,
            "Producer " + producerId + " is at epoch " + current + ", not " + producerEpoch
                + ": another instance of it took over.");
      }
      if (current == Short.MAX_VALUE) {
        return create(t, principal, ids);
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
