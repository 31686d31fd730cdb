package io.rowstream.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.rowstream.log.LogRecord;
import io.rowstream.produce.ProduceRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns v2 and v3 produce bodies into {@link ProduceRecord}s, refusing anything malformed with 42206. */
public final class ProduceRequests {
  /** Reads one value inside a larger document (the mapper's trailing-token check is for whole bodies). */
  private static final ObjectReader SUBTREE =
      Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ProduceRequests() {}

  /**
   * A v2 body, {@code {"records":[{"key","value","partition","headers","timestamp"}]}}, read token
   * by token from the request stream: no copy of the whole body, and no tree of its records.
   */
  public static List<ProduceRecord> parseV2(
      InputStream body, EmbeddedFormat format, Integer pathPartition) throws IOException {
    try (JsonParser p = Json.MAPPER.createParser(body)) {
      List<ProduceRecord> out = null;
      JsonToken root = p.nextToken();
      if (root != null && root != JsonToken.START_OBJECT) {
        throw HttpStatusException.invalidPayload("The request body must be a JSON object.");
      }
      while (root != null && p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (!field.equals("records")) {
          p.skipChildren(); // key_schema, value_schema and their ids: no Schema Registry here
        } else if (value != JsonToken.START_ARRAY) {
          throw HttpStatusException.invalidPayload("\"records\" must be an array.");
        } else {
          out = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(readV2Record(p, format, pathPartition, "records[" + out.size() + "]"));
          }
        }
      }
      if (root != null && p.nextToken() != null) {
        throw HttpStatusException.badRequest(
            "Malformed JSON: trailing content after the request object.");
      }
      if (out == null || out.isEmpty()) {
        throw HttpStatusException.invalidPayload(
            "The request must hold a non-empty \"records\" array.");
      }
      return out;
    } catch (JsonProcessingException e) {
      throw Json.refusal(e);
    }
  }

  /** The value at the parser's current token as a tree, leaving the parser on its last token. */
  private static JsonNode tree(JsonParser p) throws IOException {
    return SUBTREE.readTree(p);
  }

  private static ProduceRecord readV2Record(
      JsonParser p, EmbeddedFormat format, Integer pathPartition, String where) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw HttpStatusException.invalidPayload(where + " must be a JSON object.");
    }
    byte[] key = null;
    byte[] value = null;
    JsonNode partition = null;
    JsonNode headers = null;
    JsonNode timestamp = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "key" -> key = readEmbedded(p, format, where + ".key");
        case "value" -> value = readEmbedded(p, format, where + ".value");
        case "partition" -> partition = tree(p);
        case "headers" -> headers = tree(p);
        case "timestamp" -> timestamp = tree(p);
        default -> p.skipChildren();
      }
    }
    return new ProduceRecord(
        recordPartition(optionalPartition(partition, where), pathPartition, where),
        key,
        value,
        headers(headers, where),
        timestamp(timestamp, where));
  }

  /**
   * A record's partition on a v2 path that may name one: the path's; a record naming another one
   * contradicts its request and is refused (the reference lets the path win silently).
   */
  private static Integer recordPartition(Integer inRecord, Integer pathPartition, String where) {
    if (pathPartition == null || inRecord == null) {
      return pathPartition != null ? pathPartition : inRecord;
    }
    if (!inRecord.equals(pathPartition)) {
      throw HttpStatusException.invalidPayload(where + ".partition is " + inRecord
          + " while the request's path " + "names partition " + pathPartition + ".");
    }
    return pathPartition;
  }

  /** The key or value at the parser's current token, in the request's embedded format. */
  private static byte[] readEmbedded(JsonParser p, EmbeddedFormat format, String where)
      throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (format == EmbeddedFormat.JSON) {
      return format.decode(tree(p), where);
    }
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw HttpStatusException.invalidPayload(
          where + " must be a base64 string, got " + p.currentToken() + ".");
    }
    // The JDK's decoder (vectorised) beats Jackson's getBinaryValue here, string and all.
    return EmbeddedFormat.decodeBase64(p.getText(), where);
  }

  /** A v3 record: {@code {"partition_id","headers","key":{"type","data"},"value":{…},"timestamp"}}. */
  public static ProduceRecord parseV3(JsonNode r, String where) {
    if (!r.isObject()) {
      throw HttpStatusException.invalidPayload(where + " must be a JSON object.");
    }
    return new ProduceRecord(
        optionalPartition(r.get("partition_id"), where),
        v3Data(r.get("key"), where + ".key"),
        v3Data(r.get("value"), where + ".value"),
        headers(r.get("headers"), where),
        timestamp(r.get("timestamp"), where));
  }

  private static byte[] v3Data(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw HttpStatusException.invalidPayload(
          where + " must be an object {\"type\": ..., \"data\": ...}.");
    }
    JsonNode type = node.get("type");
    JsonNode data = node.get("data");
    if (type == null || !type.isTextual()) {
      throw HttpStatusException.invalidPayload(
          where + ".type is required (BINARY, JSON or STRING); "
              + "schema-based types need a Schema Registry, which Rowstream does not have.");
    }
    if (data == null || data.isNull()) {
      return null;
    }
    return switch (type.textValue().toUpperCase(Locale.ROOT)) {
      case "BINARY" -> EmbeddedFormat.decodeBase64(data, where + ".data");
      case "JSON" -> EmbeddedFormat.JSON.decode(data, where + ".data");
      case "STRING" -> {
        if (!data.isTextual()) {
          throw HttpStatusException.invalidPayload(
              where + ".data must be a string for type STRING.");
        }
        yield data.textValue().getBytes(StandardCharsets.UTF_8);
      }
      default ->
        throw HttpStatusException.invalidPayload(where + ".type '" + type.textValue()
            + "' is not supported: use BINARY, JSON or STRING.");
    };
  }

  private static Integer optionalPartition(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw HttpStatusException.invalidPayload(
          where + ".partition must be an integer, got " + node + ".");
    }
    return node.intValue();
  }

  private static List<LogRecord.Header> headers(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw HttpStatusException.invalidPayload(
          where + ".headers must be an array of {\"name\", \"value\"}.");
    }
    List<LogRecord.Header> headers = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode h = node.get(i);
      String at = where + ".headers[" + i + "]";
      // Any string names a header, the empty one too: Kafka refuses only a null name.
      if (!h.isObject() || h.get("name") == null || !h.get("name").isTextual()) {
        throw HttpStatusException.invalidPayload(at + " must be an object with a string \"name\".");
      }
      JsonNode value = h.get("value");
      byte[] bytes = value == null || value.isNull()
          ? null
          : EmbeddedFormat.decodeBase64(value, at + ".value");
      headers.add(new LogRecord.Header(h.get("name").textValue(), bytes));
    }
    return headers;
  }

  /** Milliseconds since the epoch, or an ISO-8601 instant (as v3 writes them). */
  private static Long timestamp(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      if (node.longValue() < 0) {
        throw HttpStatusException.invalidPayload(where + ".timestamp must not be negative.");
      }
      return node.longValue();
    }
    if (node.isTextual()) {
      try {
        return Instant.parse(node.textValue()).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw HttpStatusException.invalidPayload(where + ".timestamp '" + node.textValue()
            + "' is neither milliseconds since the epoch nor an ISO-8601 instant.");
      }
    }
    throw HttpStatusException.invalidPayload(
        where + ".timestamp must be milliseconds since the epoch.");
  }
}
