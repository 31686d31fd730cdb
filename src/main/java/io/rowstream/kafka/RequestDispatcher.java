package io.rowstream.kafka;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * Turns one request frame into its response frame: decodes the header, checks the API and version
 * against {@link KafkaApis}, decodes the body with kafka-clients' generated classes, runs the
 * handler, and encodes the response (header and body, without the length prefix) at the request's
 * version. A request Kafka would not answer ends the connection ({@link CloseConnection}). A frame
 * the session expects raw (a SASL token after SaslHandshake v0) goes to the session's raw handler.
 */
final class RequestDispatcher {

  /** The connection must be closed: the request cannot be understood or must not be answered. */
  static final class CloseConnection extends RuntimeException {
    CloseConnection(String reason) {
      super(reason, null, false, false);
    }
  }

  private final KafkaApis apis;
  private final KafkaErrors errors;

  RequestDispatcher(KafkaApis apis, KafkaErrors errors) {
    this.apis = apis;
    this.errors = errors;
  }

  /** The response to {@code frame}, or empty when the request takes none (acks=0). */
  Optional<ByteBuffer> dispatch(ByteBuffer frame, KafkaSession session) {
    KafkaSession.RawFrameHandler raw = session.takeRawFrameHandler();
    if (raw != null) {
      return raw.handle(frame, session);
    }
    RequestHeader header = header(frame);
    ApiKeys api = header.apiKey();
    short version = header.apiVersion();
    Optional<KafkaApis.Served<?>> served = apis.lookup(api, version);
    if (served.isEmpty()) {
      if (api == ApiKeys.API_VERSIONS) {
        return Optional.of(unsupportedApiVersions(header));
      }
      throw new CloseConnection(
          "unsupported API " + api + " version " + version + " from client " + header.clientId());
    }
    if (!session.mayCall(api)) {
      throw new CloseConnection(api + " before SASL authentication from " + session.address());
    }
    AbstractRequest body = body(header, frame);
    session.clientId(header.clientId());
    ApiMessage response = handle(served.get(), body, session);
    if (response == null) {
      return Optional.empty();
    }
    return Optional.of(encode(header, response, version));
  }

  private static RequestHeader header(ByteBuffer frame) {
    try {
      return RequestHeader.parse(frame);
    } catch (InvalidRequestException e) {
      throw new CloseConnection("unreadable request header: " + e.getMessage());
    }
  }

  private static AbstractRequest body(RequestHeader header, ByteBuffer frame) {
    try {
      AbstractRequest body = AbstractRequest.parseRequest(
              header.apiKey(), header.apiVersion(), new ByteBufferAccessor(frame))
          .request;
      if (frame.hasRemaining()) {
        throw new CloseConnection(frame.remaining() + " bytes after the body of " + header.apiKey()
            + " v" + header.apiVersion());
      }
      return body;
    } catch (RuntimeException e) { // the generated readers fail in many ways on garbage
      if (e instanceof CloseConnection close) {
        throw close;
      }
      throw new CloseConnection("unreadable " + header.apiKey() + " v" + header.apiVersion()
          + " body: " + e.getClass().getSimpleName());
    }
  }

  @SuppressWarnings("unchecked")
  private <R extends AbstractRequest> ApiMessage handle(
      KafkaApis.Served<R> served, AbstractRequest body, KafkaSession session) {
    try {
      return served.handler().handle((R) body, session);
    } catch (CloseConnection close) {
      throw close;
    } catch (RuntimeException e) {
      return body.getErrorResponse(0, errors.toKafka(e, served.api().name)).data();
    }
  }

  /** KIP-511: an ApiVersions the node cannot parse is answered at v0 with its own range. */
  private ByteBuffer unsupportedApiVersions(RequestHeader header) {
    ApiVersionsResponseData data =
        new ApiVersionsResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code());
    apis.range(ApiKeys.API_VERSIONS).ifPresent(r -> data.apiKeys().add(r));
    return encode(header, data, (short) 0);
  }

  private static ByteBuffer encode(RequestHeader header, ApiMessage body, short version) {
    ResponseHeader responseHeader = header.toResponseHeader();
    try {
      return RequestUtils.serialize(
          responseHeader.data(), responseHeader.headerVersion(), body, version);
    } catch (UnsupportedVersionException e) {
      throw new IllegalStateException(
          header.apiKey() + " v" + version + " response not encodable, which indicates a bug", e);
    }
  }
}
