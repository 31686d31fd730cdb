package io.rowstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.log.LogRecord;
import io.rowstream.produce.ProduceRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns v2 and v3 produce bodies into {@link ProduceRecord}s, refusing anything malformed with 42206. */
public final class ProduceRequests {
  private ProduceRequests() {}

  /** A v2 body: {@code {"records":[{"key","value","partition","headers","timestamp"}]}}. */
  public static List<ProduceRecord> parseV2(byte[] body, EmbeddedFormat format, Integer pathPartition) {
    ObjectNode root = Json.parseObject(body);
    JsonNode records = root.get("records");
    if (records == null || !records.isArray() || records.isEmpty()) {
      throw HttpStatusException.invalidPayload("The request must hold a non-empty \"records\" array.");
    }
    List<ProduceRecord> out = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      JsonNode r = records.get(i);
      String where = "records[" + i + "]";
      if (!r.isObject()) {
        throw HttpStatusException.invalidPayload(where + " must be a JSON object.");
      }
      Integer partition = pathPartition != null ? pathPartition : optionalPartition(r.get("partition"), where);
      out.add(new ProduceRecord(partition,
          format.decode(r.get("key"), where + ".key"),
          format.decode(r.get("value"), where + ".value"),
          headers(r.get("headers"), where),
          timestamp(r.get("timestamp"), where)));
    }
    return out;
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
      throw HttpStatusException.invalidPayload(where + " must be an object {\"type\": ..., \"data\": ...}.");
    }
    JsonNode type = node.get("type");
    JsonNode data = node.get("data");
    if (type == null || !type.isTextual()) {
      throw HttpStatusException.invalidPayload(where + ".type is required (BINARY, JSON or STRING); "
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
          throw HttpStatusException.invalidPayload(where + ".data must be a string for type STRING.");
        }
        yield data.textValue().getBytes(StandardCharsets.UTF_8);
      }
      default -> throw HttpStatusException.invalidPayload(where + ".type '" + type.textValue()
          + "' is not supported: use BINARY, JSON or STRING.");
    };
  }

  private static Integer optionalPartition(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw HttpStatusException.invalidPayload(where + ".partition must be an integer, got " + node + ".");
    }
    return node.intValue();
  }

  private static List<LogRecord.Header> headers(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw HttpStatusException.invalidPayload(where + ".headers must be an array of {\"name\", \"value\"}.");
    }
    List<LogRecord.Header> headers = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode h = node.get(i);
      String at = where + ".headers[" + i + "]";
      if (!h.isObject() || h.get("name") == null || !h.get("name").isTextual() || h.get("name").textValue().isEmpty()) {
        throw HttpStatusException.invalidPayload(at + " must be an object with a non-empty string \"name\".");
      }
      JsonNode value = h.get("value");
      byte[] bytes = value == null || value.isNull() ? null : EmbeddedFormat.decodeBase64(value, at + ".value");
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
    throw HttpStatusException.invalidPayload(where + ".timestamp must be milliseconds since the epoch.");
  }
}
