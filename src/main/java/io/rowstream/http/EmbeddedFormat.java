package io.rowstream.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import java.io.IOException;
import java.util.Base64;

/**
 * REST Proxy v2 embedded formats: how keys and values travel inside the JSON envelope.
 * {@code binary}: base64 strings; {@code json}: any JSON, stored as its compact serialization.
 */
public enum EmbeddedFormat {
  BINARY("application/vnd.kafka.binary.v2+json"),
  JSON("application/vnd.kafka.json.v2+json");

  public static final String V2_JSON = "application/vnd.kafka.v2+json";

  private final String mediaType;

  EmbeddedFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  /**
   * The format a produce request's Content-Type names. One that names no embedded format is binary, as
   * in the reference: {@code application/json}, {@code application/vnd.kafka.v2+json}, and v1's
   * {@code application/vnd.kafka.v1+json} (v1 produce has the same body). Anything else is 415.
   */
  public static EmbeddedFormat ofProduceContentType(String contentType) {
    if (contentType == null
        || contentType.isBlank()
        || RequestContentTypes.mediaType(contentType).equals("application/json")) {
      return BINARY;
    }
    KafkaMediaType type = KafkaMediaType.parse(contentType)
        .filter(t -> t.isV2OrUnversioned() || t.isVersion(1))
        .orElseThrow(() -> new HttpStatusException(
            HttpError.UNSUPPORTED_MEDIA_TYPE, "Unsupported Content-Type '" + contentType + "'."));
    return switch (type.embeddedFormat().orElse("binary")) {
      case "binary" -> BINARY;
      case "json" -> JSON;
      default ->
        throw new HttpStatusException(
            HttpError.UNSUPPORTED_MEDIA_TYPE,
            "Unsupported embedded format in Content-Type '" + contentType + "': use "
                + BINARY.mediaType + " or " + JSON.mediaType + ".");
    };
  }

  /** The bytes a key or value in a request stands for; JSON null (or absent) is a Kafka null. */
  public byte[] decode(JsonNode node, String what) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    return switch (this) {
      case BINARY -> decodeBase64(node, what);
      case JSON -> {
        try {
          yield Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
          throw new IllegalStateException(
              "a parsed JSON node failed to serialize indicates a bug", e);
        }
      }
    };
  }

  static byte[] decodeBase64(JsonNode node, String what) {
    if (!node.isTextual()) {
      throw HttpStatusException.invalidPayload(
          what + " must be a base64 string, got " + node.getNodeType() + ".");
    }
    return decodeBase64(node.textValue(), what);
  }

  static byte[] decodeBase64(String text, String what) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw HttpStatusException.invalidPayload(what + " is not valid base64: " + e.getMessage());
    }
  }

  /**
   * Stored bytes as this format's JSON value. Done for every record before a response is written,
   * so a record that cannot be shown as JSON fails the request cleanly (42203) instead of mid-stream.
   * A null (a tombstone's value) is JSON null; empty bytes are no JSON document, so the json format
   * refuses them rather than show them as null too (as the REST Proxy's JSON deserializer refuses
   * empty input); binary shows them as {@code ""}.
   *
   * @param what {@code "key"} or {@code "value"}, for the message
   */
  public JsonNode render(byte[] bytes, long offset, String what) {
    if (bytes == null) {
      return NullNode.getInstance();
    }
    return switch (this) {
      case BINARY -> TextNode.valueOf(Base64.getEncoder().encodeToString(bytes));
      case JSON -> {
        if (bytes.length == 0) {
          throw new BrokerException(
              BrokerError.JSON_CONVERSION,
              "The record at offset " + offset + " has an empty "
                  + what
                  + " (0 bytes, which is not JSON; a tombstone's value is null, not empty); read it with the "
                  + "binary format, which shows an empty " + what + " as \"\".");
        }
        JsonNode node;
        try {
          node = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
          node = MissingNode.getInstance();
        }
        if (node == null || node.isMissingNode()) {
          throw new BrokerException(
              BrokerError.JSON_CONVERSION,
              "The record at offset " + offset + " is not JSON; read it with the binary format.");
        }
        yield node;
      }
    };
  }
}
