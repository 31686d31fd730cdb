package io.rowstream.produce;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.security.Principal;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Idempotent producer ids (Kafka's InitProducerId) and whom they belong to. An id is a random
 * positive 63-bit value, so that one cannot be guessed from another, and is bound to the principal
 * that created it: only that principal may produce with it or bump its epoch, as Kafka lets only
 * the principals its ACLs allow use a transactional id. With authentication off every caller is
 * {@code User:ANONYMOUS}, so every caller owns every id, as before.
 */
public final class IdempotentProducers {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_CACHED = 100_000;

  private final ProducerStore store;
  /** Owner by producer id: an id never changes owner, so an entry never goes stale. */
  private final ConcurrentHashMap<Long, String> owners = new ConcurrentHashMap<>();

  public IdempotentProducers(ProducerStore store) {
    this.store = store;
  }

  /** A new producer id at epoch 0, owned by {@code principal}. */
  public ProducerIdentity create(Principal principal) {
    return store.create(principal.toString(), IdempotentProducers::randomId);
  }

  /** Bumps the epoch of {@code principal}'s producer (see {@link ProducerStore#bump}). */
  public ProducerIdentity bump(Principal principal, long producerId, short producerEpoch) {
    return store.bump(
        principal.toString(), producerId, producerEpoch, IdempotentProducers::randomId);
  }

  /**
   * Refuses (PRODUCER_ID_NOT_AUTHORIZED) a produce with a producer id another principal owns. An
   * unknown id passes: the append refuses it as UNKNOWN_PRODUCER_ID.
   */
  public void requireOwner(Principal principal, long producerId) {
    String owner = owners.get(producerId);
    if (owner == null) {
      Optional<String> stored = store.owner(producerId);
      if (stored.isEmpty()) {
        return;
      }
      owner = stored.get();
      if (owners.size() >= MAX_CACHED) {
        owners.clear();
      }
      owners.put(producerId, owner);
    }
    if (!owner.equals(principal.toString())) {
      throw notOwner(principal.toString(), producerId);
    }
  }

  static BrokerException notOwner(String principal, long producerId) {
    return new BrokerException(
        BrokerError.PRODUCER_ID_NOT_AUTHORIZED,
        "Not authorized: producer id " + producerId + " belongs to another principal than "
            + principal + "; ask POST /producers for an id of your own.");
  }

  private static long randomId() {
    return RANDOM.nextLong() & Long.MAX_VALUE;
  }
}
