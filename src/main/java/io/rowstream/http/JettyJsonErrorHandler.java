package io.rowstream.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty raises before any route runs (malformed URI, oversize headers, body over the size
 * limit) get the same JSON body as every other error ({@link ErrorResponses#ofStatus});
 * an internal failure the body of {@link InternalErrors}.
 */
final class JettyJsonErrorHandler extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    int code = response.getStatus();
    String message = (String) request.getAttribute(ERROR_MESSAGE);
    Throwable cause = (Throwable) request.getAttribute(ERROR_EXCEPTION);
    if (cause instanceof HttpException he) {
      code = he.getCode();
      if (message == null) {
        message = he.getReason();
      }
    }
    if (code < 400) {
      code = 500;
    }
    if (message == null) {
      message = HttpStatus.getMessage(code);
    }
    response.setStatus(code);
    if (HttpStatus.hasNoBody(code)) {
      callback.succeeded();
      return true;
    }
    // A failure of the node itself (an exception no route mapped) says only its id.
    ObjectNode body = code == HttpStatus.INTERNAL_SERVER_ERROR_500
        ? InternalErrors.report(request.getHttpURI().getPath(), cause)
        : ErrorResponses.body(ErrorResponses.ofStatus(code).errorCode(), message);
    byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
    return true;
  }
}
