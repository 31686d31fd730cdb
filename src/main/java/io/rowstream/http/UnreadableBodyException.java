package io.rowstream.http;

/**
 * A request body that is not JSON, holds a field of the wrong JSON type, or lacks a field a v3
 * entity requires (the reference fails to build the entity, a JSON mapping error). Its status and code
 * depend on the family of routes ({@link ErrorResponses#unreadableBody}), so it carries only a message.
 */
public final class UnreadableBodyException extends RuntimeException {
  public UnreadableBodyException(String message) {
    super(message, null, false, false);
  }
}
