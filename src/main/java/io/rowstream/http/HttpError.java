package io.rowstream.http;

import io.rowstream.error.RestError;

/**
 * Refusals that exist only at the HTTP edge, with their status and REST Proxy error code: what a
 * request looks like on the wire (JSON, media types, parameters, size), HTTP authentication and
 * the edge's own limits. They are not {@link io.rowstream.error.BrokerError}s because another door has
 * none of them: the Kafka protocol's requests are typed frames decoded by kafka-clients, its
 * authentication is SASL, its size limit a socket setting and its quotas a throttle time in the
 * answer. Rendered by the same writer as broker errors ({@link ErrorResponses}).
 */
enum HttpError {
  /** A malformed request: a bad path or query parameter, malformed JSON, a method override. */
  BAD_REQUEST(400, 40002),
  /** What the reference's v3 refuses with the bare status: unreadable JSON, an invalid enum value. */
  V3_BAD_REQUEST(400, 400),
  /** No credentials, or credentials that do not authenticate. */
  UNAUTHENTICATED(401, 40101),
  /** The route's ACL rule, or the loopback host check, refuses the request. */
  FORBIDDEN(403, 40301),
  /** A v3 entity (cluster, broker, partition, group, consumer, config, ACL owner) that does not exist. */
  NOT_FOUND(404, 404),
  /** A partition number below 0 in the path: no such partition, before any topic is read. */
  NEGATIVE_PARTITION(404, 40402),
  /** No media type of the {@code Accept} header is one the route answers. */
  NOT_ACCEPTABLE(406, 406),
  /** A record read whose {@code Accept} names another embedded format than the consumer's. */
  EMBEDDED_FORMAT_MISMATCH(406, 40601),
  /** A body over the node's size limit, or over an edge limit (records per request, headers per record). */
  TOO_LARGE(413, 41301),
  /** A body without a Content-Type, or one the route does not take. */
  UNSUPPORTED_MEDIA_TYPE(415, 415),
  /** A produce or consumer body that is JSON but not the request's shape. */
  INVALID_PAYLOAD(422, 42206),
  /** A v3 {@code records:batch} body without 1 to 1000 entries with unique ids. */
  INVALID_BATCH(422, 42208),
  /** A byte-rate quota, the long-poll slots or the fetch memory of the node, or failed logins, exhausted. */
  THROTTLED(429, 42901),
  /** {@code /status/ready}: the database does not answer or migrations are pending. */
  NOT_READY(503, 50003);

  private final RestError answer;

  HttpError(int status, int errorCode) {
    this.answer = RestError.of(status, errorCode);
  }

  RestError answer() {
    return answer;
  }

  int status() {
    return answer.status();
  }
}
