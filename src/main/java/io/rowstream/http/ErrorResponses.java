package io.rowstream.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.error.RestError;

/**
 * The one writer of error answers over HTTP, and the reader of the table of broker errors per
 * family of routes ({@link BrokerError} holds the statuses and codes; HTTP-only refusals are
 * {@link HttpError}s). Every error body is {@code {"error_code", "message"}}. v2 answers the REST
 * Proxy v2 codes. v3 answers as the reference's v3 does: Kafka's errors through Kafka's exception
 * mapper (an unknown topic is UNKNOWN_TOPIC_OR_PARTITION, 404 / 40403, with Kafka's message), a
 * missing entity or unreadable JSON with the bare HTTP status as its code. v3 produce meets an
 * unknown topic or partition through the reference's producer, so it keeps 40401 / 40402. Both v3
 * families answer Kafka's retriable errors (leadership moved, not enough replicas) as Kafka's
 * exception mapper does, 500 / 50003, and a record over max.message.bytes or with a timestamp out
 * of the topic's bounds (Kafka's RecordTooLargeException and InvalidTimestampException, neither
 * retriable nor otherwise mapped) 500 / 50002 with its message. See docs/http-api.md, "Error codes".
 */
public final class ErrorResponses {
  private ErrorResponses() {}

  /** The families of routes whose error conventions differ. */
  public enum Family {
    /** REST Proxy v2, Rowstream's own routes and the node-to-node ones. */
    V2,
    /** v3 admin: clusters, brokers, topics, partitions, configs, groups, ACLs. */
    V3,
    /** v3 produce ({@code /v3/clusters/{cid}/topics/{t}/records[:batch]}). */
    V3_PRODUCE;

    public static Family of(String path) {
      if (!path.startsWith("/v3/")) {
        return V2;
      }
      return path.endsWith("/records") || path.endsWith("/records:batch") ? V3_PRODUCE : V3;
    }
  }

  /** The v2 answer to a broker error (node-to-node routes answer as v2 does). */
  public static RestError of(BrokerError error) {
    return of(error, Family.V2);
  }

  public static RestError of(BrokerError error, Family family) {
    return switch (family) {
      case V2 -> error.v2();
      case V3 -> error.v3Admin();
      case V3_PRODUCE -> error.v3Produce();
    };
  }

  /** The message of a broker error's answer: v3 passes Kafka's own where the reference does. */
  public static String message(BrokerException e, Family family) {
    return of(e.error(), family).kafkaMessage() ? e.error().kafka().message() : e.getMessage();
  }

  /**
   * A body that is not JSON, or a field of the wrong JSON type: v2's 400 / 40002; v3's 400 / 400,
   * the reference's answer to a JSON parse or mapping failure.
   */
  public static RestError unreadableBody(Family family) {
    return (family == Family.V2 ? HttpError.BAD_REQUEST : HttpError.V3_BAD_REQUEST).answer();
  }

  /**
   * The answer to a bare HTTP status raised by Javalin or Jetty (no route, method not allowed,
   * malformed URI, headers too large, body over the size limit): the status as its code, except a
   * body too large, which is 41301 as every other 413.
   */
  static RestError ofStatus(int status) {
    return status == HttpError.TOO_LARGE.status()
        ? HttpError.TOO_LARGE.answer()
        : RestError.of(status, status);
  }

  /** A v3 produce request with no record in its body: the reference's 422 / 42206 and its message. */
  public static HttpStatusException emptyProduceBody() {
    return HttpStatusException.invalidPayload(
        "Payload error. Request body is empty. Data is required.");
  }

  /** A v3 entity (cluster, broker, partition, group, consumer, config, ACL owner) that does not exist. */
  public static HttpStatusException notFound(String message) {
    return new HttpStatusException(HttpError.NOT_FOUND, message);
  }

  /** The body of every error answer. */
  static ObjectNode body(int errorCode, String message) {
    return Json.object().put("error_code", errorCode).put("message", message);
  }

  /** Answers the request with the error's status and body. */
  static void answer(Context ctx, RestError error, String message) {
    ctx.status(error.status()).json(body(error.errorCode(), message));
  }

  /** Answers an HTTP-only refusal, with its headers. */
  static void answer(Context ctx, HttpStatusException e) {
    e.headers().forEach(ctx::header);
    answer(ctx, e.error().answer(), e.getMessage());
  }
}
