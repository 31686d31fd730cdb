package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.http.ErrorResponses.Family;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every broker error's status and REST Proxy error code on every family of routes, and its message,
 * written down as one table: a change to the mapping is a change to this table (and to
 * docs/http-api.md, "Error codes"). The routes' own tests pin the same answers over HTTP.
 */
class ErrorResponsesTest {
  /** {error, v2 status, v2 code, v3 admin status, v3 admin code, v3 produce status, v3 produce code}. */
  private static final Object[][] TABLE = {
    {BrokerError.TOPIC_NOT_FOUND, 404, 40401, 404, 40403, 404, 40401},
    {BrokerError.PARTITION_NOT_FOUND, 404, 40402, 404, 404, 404, 40402},
    {BrokerError.CONSUMER_INSTANCE_NOT_FOUND, 404, 40403, 404, 40403, 404, 40403},
    {BrokerError.CONSUMER_INSTANCE_EXISTS, 409, 40902, 409, 40902, 409, 40902},
    {BrokerError.ILLEGAL_CONSUMER_STATE, 409, 40903, 409, 40903, 409, 40903},
    {BrokerError.GROUP_NOT_FOUND, 404, 404, 404, 404, 404, 404},
    {BrokerError.NON_EMPTY_GROUP, 409, 409, 409, 409, 409, 409},
    {BrokerError.GROUP_SUBSCRIBED_TO_TOPIC, 409, 409, 409, 409, 409, 409},
    {BrokerError.FENCED_MEMBER_EPOCH, 409, 40903, 409, 40903, 409, 40903},
    {BrokerError.STALE_MEMBER_EPOCH, 409, 40903, 409, 40903, 409, 40903},
    {BrokerError.UNSUPPORTED_ASSIGNOR, 422, 42204, 422, 42204, 422, 42204},
    {BrokerError.GROUP_REBALANCING, 409, 40903, 409, 40903, 409, 40903},
    {BrokerError.FENCED_INSTANCE, 409, 40903, 409, 40903, 409, 40903},
    {BrokerError.INCONSISTENT_GROUP_PROTOCOL, 409, 40903, 409, 40903, 409, 40903},
    {BrokerError.INVALID_SESSION_TIMEOUT, 400, 40002, 400, 40002, 400, 40002},
    {BrokerError.TOPIC_ALREADY_EXISTS, 400, 40002, 400, 40002, 400, 40002},
    {BrokerError.INVALID_TOPIC, 400, 40002, 400, 40002, 400, 40002},
    {BrokerError.INVALID_CONFIG, 400, 40002, 400, 40002, 400, 40002},
    {BrokerError.CONFIG_NOT_FOUND, 404, 404, 404, 404, 404, 404},
    {BrokerError.INVALID_PARTITIONS, 400, 40002, 400, 40002, 400, 40002},
    {BrokerError.POLICY_VIOLATION, 400, 40002, 400, 40002, 400, 40002},
    {BrokerError.INVALID_REPLICATION_FACTOR, 400, 40002, 400, 40002, 400, 40002},
    {BrokerError.INVALID_REQUEST, 400, 40002, 400, 40002, 400, 40002},
    {BrokerError.INVALID_PAYLOAD, 422, 42206, 422, 42206, 422, 42206},
    {BrokerError.JSON_CONVERSION, 422, 42203, 422, 42203, 422, 42203},
    {BrokerError.INVALID_CONSUMER_CONFIG, 422, 42204, 422, 42204, 422, 42204},
    {BrokerError.INVALID_TOPIC_PATTERN, 422, 42204, 422, 42204, 422, 42204},
    {BrokerError.RECORD_TOO_LARGE, 413, 41301, 500, 50002, 500, 50002},
    {BrokerError.INVALID_TIMESTAMP, 422, 42206, 500, 50002, 500, 50002},
    {BrokerError.CORRUPT_MESSAGE, 500, 50003, 500, 50003, 500, 50003},
    {BrokerError.TRANSACTIONS_UNSUPPORTED, 422, 42206, 500, 50002, 500, 50002},
    {BrokerError.NOT_LEADER_OR_FOLLOWER, 503, 50301, 500, 50003, 500, 50003},
    {BrokerError.OFFSET_OUT_OF_RANGE, 400, 40002, 400, 40002, 400, 40002},
    {BrokerError.FENCED_LEADER_EPOCH, 503, 50301, 500, 50003, 500, 50003},
    {BrokerError.OUT_OF_ORDER_SEQUENCE, 409, 40910, 409, 40910, 409, 40910},
    {BrokerError.PRODUCER_FENCED, 409, 40911, 409, 40911, 409, 40911},
    {BrokerError.PRODUCER_ID_NOT_AUTHORIZED, 403, 40301, 403, 40301, 403, 40301},
    {BrokerError.UNKNOWN_PRODUCER_ID, 404, 40410, 404, 40410, 404, 40410},
    {BrokerError.NOT_ENOUGH_REPLICAS, 503, 50302, 500, 50003, 500, 50003},
    {BrokerError.CLUSTER_AUTHORIZATION_FAILED, 403, 40301, 403, 40301, 403, 40301},
    {BrokerError.QUOTA_EXCEEDED, 429, 42901, 429, 42901, 429, 42901},
    {BrokerError.TOPIC_AUTHORIZATION_FAILED, 403, 40301, 403, 40301, 403, 40301},
    {BrokerError.GROUP_AUTHORIZATION_FAILED, 403, 40301, 403, 40301, 403, 40301},
    {BrokerError.RETRIABLE, 500, 50003, 500, 50003, 500, 50003},
    {BrokerError.DATABASE_RESOURCE_EXHAUSTED, 500, 50002, 500, 50002, 500, 50002},
    {BrokerError.INTERNAL, 500, 50002, 500, 50002, 500, 50002},
  };

  @Test
  void every_broker_error_answers_its_status_and_code_on_every_family() {
    List<BrokerError> listed = new ArrayList<>();
    for (Object[] row : TABLE) {
      BrokerError error = (BrokerError) row[0];
      listed.add(error);
      assertAnswer(error, Family.V2, (int) row[1], (int) row[2]);
      assertAnswer(error, Family.V3, (int) row[3], (int) row[4]);
      assertAnswer(error, Family.V3_PRODUCE, (int) row[5], (int) row[6]);
    }
    assertThat(listed).containsExactly(BrokerError.values());
  }

  @Test
  void v2_is_the_answer_of_an_error_without_a_family() {
    for (BrokerError error : BrokerError.values()) {
      assertThat(ErrorResponses.of(error)).isEqualTo(ErrorResponses.of(error, Family.V2));
    }
  }

  @Test
  void only_an_unknown_topic_on_v3_admin_answers_kafkas_message_instead_of_the_brokers() {
    for (BrokerError error : BrokerError.values()) {
      BrokerException e = new BrokerException(error, "the broker's message");
      for (Family family : Family.values()) {
        String expected = error == BrokerError.TOPIC_NOT_FOUND && family == Family.V3
            ? "This server does not host this topic-partition."
            : "the broker's message";
        assertThat(ErrorResponses.message(e, family))
            .as(error + " on " + family)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void unreadable_json_is_40002_on_v2_and_the_bare_400_on_v3() {
    assertThat(ErrorResponses.unreadableBody(Family.V2).status()).isEqualTo(400);
    assertThat(ErrorResponses.unreadableBody(Family.V2).errorCode()).isEqualTo(40002);
    for (Family v3 : List.of(Family.V3, Family.V3_PRODUCE)) {
      assertThat(ErrorResponses.unreadableBody(v3).status()).isEqualTo(400);
      assertThat(ErrorResponses.unreadableBody(v3).errorCode()).isEqualTo(400);
    }
  }

  @Test
  void a_path_chooses_its_family() {
    assertThat(Family.of("/topics/t")).isEqualTo(Family.V2);
    assertThat(Family.of("/internal/v1/topics/t/partitions/0/append")).isEqualTo(Family.V2);
    assertThat(Family.of("/v3/clusters/c/topics/t")).isEqualTo(Family.V3);
    assertThat(Family.of("/v3/clusters/c/topics/t/records")).isEqualTo(Family.V3_PRODUCE);
    assertThat(Family.of("/v3/clusters/c/topics/t/records:batch")).isEqualTo(Family.V3_PRODUCE);
  }

  private static void assertAnswer(BrokerError error, Family family, int status, int code) {
    var answer = ErrorResponses.of(error, family);
    assertThat(answer.status()).as(error + " status on " + family).isEqualTo(status);
    assertThat(answer.errorCode()).as(error + " error_code on " + family).isEqualTo(code);
  }
}
