package io.rowstream.kafka.records;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.produce.IdempotentProducers;
import io.rowstream.produce.ProducerIdentity;
import io.rowstream.security.Principal;
import java.util.Set;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.InitProducerIdRequest;

/**
 * InitProducerId for idempotent producers, from the same ids as HTTP's {@code POST /producers}
 * ({@code produce.IdempotentProducers}), owned by the connection's principal: a new id at epoch 0;
 * with a producer id and its current epoch (v3 and later, KIP-360, as librdkafka sends to recover
 * an idempotent producer) the same id at the next epoch, which fences requests still in flight
 * under the old one. Kafka gives every idempotent producer a new id whatever it sends, so where the
 * bump cannot be made (an unknown id, an epoch that is not the current one, another principal's
 * id) a new id is given as Kafka gives it. As over HTTP, any authenticated principal may ask: an id
 * grants nothing by itself, every produce still needs WRITE on its topic.
 *
 * <p>A transactional id is refused with INVALID_TXN_STATE ({@code TRANSACTIONS_UNSUPPORTED}, the
 * error the core answers a transactional batch with): Rowstream has no transactions yet. Kafka has
 * no error that says "transactions are not supported"; of its codes this one names the transactional
 * state, is not retriable (a retriable one such as COORDINATOR_NOT_AVAILABLE would make the client
 * retry until its timeout), and the Java producer fails {@code initTransactions} on it at once.
 */
final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequest> {
  /** Why a bump may not be made, in which case a new id is given instead, as Kafka does. */
  private static final Set<BrokerError> NOT_BUMPED = Set.of(
      BrokerError.UNKNOWN_PRODUCER_ID,
      BrokerError.PRODUCER_FENCED,
      BrokerError.PRODUCER_ID_NOT_AUTHORIZED);

  private final IdempotentProducers producers;

  InitProducerIdHandler(IdempotentProducers producers) {
    this.producers = producers;
  }

  @Override
  public ApiMessage handle(InitProducerIdRequest request, KafkaSession session) {
    if (request.data().transactionalId() != null) {
      throw new BrokerException(
          BrokerError.TRANSACTIONS_UNSUPPORTED,
          "Transactional producers are not supported: Rowstream has no transactions yet "
              + "(transactional.id " + request.data().transactionalId() + ").");
    }
    Principal principal = session.caller().principal();
    long id = request.data().producerId();
    short epoch = request.data().producerEpoch();
    ProducerIdentity identity = id == RecordBatch.NO_PRODUCER_ID || epoch < 0
        ? producers.create(principal)
        : bumpOrCreate(principal, id, epoch);
    return new InitProducerIdResponseData()
        .setProducerId(identity.producerId())
        .setProducerEpoch(identity.producerEpoch());
  }

  private ProducerIdentity bumpOrCreate(Principal principal, long id, short epoch) {
    try {
      return producers.bump(principal, id, epoch);
    } catch (BrokerException e) {
      if (!NOT_BUMPED.contains(e.error())) {
        throw e;
      }
      return producers.create(principal);
    }
  }
}
