package io.rowstream.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.error.RestError;
import io.rowstream.logging.LogText;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An internal error as a client sees it: {@code {"error_code":50002,"message":"Internal error <id>"}}
 * and nothing else (no SQL, class name or stack trace). The node logs the id with the cause at
 * ERROR, once, so an operator finds what a client reports.
 */
final class InternalErrors {
  static final RestError ANSWER = BrokerError.INTERNAL.v2();
  private static final Logger LOG = LoggerFactory.getLogger(InternalErrors.class);
  private static final SecureRandom IDS = new SecureRandom();

  private InternalErrors() {}

  /** Logs the cause under a new id and answers the client's body. */
  static ObjectNode report(String path, Throwable cause) {
    String id = newId();
    LOG.error("internal error id={} path={}", id, LogText.of(path), cause);
    return ErrorResponses.body(ANSWER.errorCode(), "Internal error " + id);
  }

  /** The body of a broker error on {@code path}: its code and message there, or an internal error's id. */
  static ObjectNode body(BrokerException e, String path) {
    if (e.error() == BrokerError.INTERNAL) {
      return report(path, e);
    }
    ErrorResponses.Family family = ErrorResponses.Family.of(path);
    return ErrorResponses.body(
        ErrorResponses.of(e.error(), family).errorCode(), ErrorResponses.message(e, family));
  }

  /** 12 hex digits: enough to find one line in a node's log. */
  private static String newId() {
    byte[] bytes = new byte[6];
    IDS.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
