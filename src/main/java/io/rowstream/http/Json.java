package io.rowstream.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The HTTP layer's JSON: one mapper, and parsing that turns malformed input into an
 * {@link UnreadableBodyException}, and input past Jackson's stream limits (nesting depth, number
 * and string length) into 400 / 40002.
 */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private Json() {}

  /** Parses a request body; an empty body is an empty object. */
  public static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return MAPPER.createObjectNode();
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      return node == null ? MAPPER.createObjectNode() : node;
    } catch (JsonProcessingException e) {
      throw refusal(e);
    } catch (java.io.IOException e) {
      throw HttpStatusException.badRequest("Unreadable request body: " + e.getMessage());
    }
  }

  /**
   * The refusal of JSON past a limit of the parser (400 / 40002 on every route) or malformed
   * (unreadable: its code depends on the family of routes).
   */
  static RuntimeException refusal(JsonProcessingException e) {
    if (e instanceof StreamConstraintsException limit) {
      return overLimit(limit);
    }
    return new UnreadableBodyException("Malformed JSON: " + e.getOriginalMessage());
  }

  static HttpStatusException overLimit(StreamConstraintsException e) {
    return HttpStatusException.badRequest("JSON over a limit: " + e.getOriginalMessage());
  }

  /** Parses a body that must be a JSON object. */
  public static ObjectNode parseObject(byte[] body) {
    JsonNode node = parse(body);
    if (!node.isObject()) {
      throw HttpStatusException.invalidPayload("The request body must be a JSON object.");
    }
    return (ObjectNode) node;
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }
}
