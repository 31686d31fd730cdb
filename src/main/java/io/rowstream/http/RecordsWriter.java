package io.rowstream.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.rowstream.log.LogRecord;
import io.rowstream.log.StoredRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Writes records as the REST Proxy v2 array {@code [{"topic","key","value","partition","offset"}]},
 * plus Rowstream's {@code timestamp} and {@code headers}. Every key and value is converted before
 * the first byte goes out, then the array is streamed.
 */
public final class RecordsWriter {
  private RecordsWriter() {}

  /** One partition's records about to be written. */
  public record Batch(String topic, int partition, List<StoredRecord> records) {}

  /** A record with its key and value converted to JSON trees (json format) or left as bytes (binary). */
  private record Entry(
      String topic, int partition, StoredRecord record, JsonNode jsonKey, JsonNode jsonValue) {}

  public static void write(Context ctx, EmbeddedFormat format, List<Batch> batches)
      throws IOException {
    render(format, batches).write(ctx);
  }

  /**
   * Converts every key and value to the format now, so that a record the format cannot show fails
   * here (JSON_CONVERSION) before anything is written or consumed. Binary needs no conversion: its
   * base64 is written straight from the bytes as the response streams.
   */
  public static Rendered render(EmbeddedFormat format, List<Batch> batches) {
    List<Entry> entries = new ArrayList<>();
    for (Batch b : batches) {
      for (StoredRecord r : b.records()) {
        boolean json = format == EmbeddedFormat.JSON;
        entries.add(new Entry(
            b.topic(),
            b.partition(),
            r,
            json ? format.render(r.record().key(), r.offset(), "key") : null,
            json ? format.render(r.record().value(), r.offset(), "value") : null));
      }
    }
    return new Rendered(format, entries);
  }

  /** Records converted and ready to be written. */
  public static final class Rendered {
    private final EmbeddedFormat format;
    private final List<Entry> entries;

    private Rendered(EmbeddedFormat format, List<Entry> entries) {
      this.format = format;
      this.entries = entries;
    }

    /** Streams the records as the response: 200, the format's media type, a JSON array. */
    public void write(Context ctx) throws IOException {
      ctx.status(200).contentType(format.mediaType());
      OutputStream out = ctx.res().getOutputStream();
      Base64Writer base64 = new Base64Writer();
      try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
        json.writeStartArray();
        for (Entry e : entries) {
          LogRecord r = e.record().record();
          json.writeStartObject();
          json.writeStringField("topic", e.topic());
          json.writeFieldName("key");
          writeEmbedded(json, base64, r.key(), e.jsonKey());
          json.writeFieldName("value");
          writeEmbedded(json, base64, r.value(), e.jsonValue());
          json.writeNumberField("partition", e.partition());
          json.writeNumberField("offset", e.record().offset());
          json.writeNumberField("timestamp", r.timestamp());
          json.writeArrayFieldStart("headers");
          for (LogRecord.Header h : r.headers()) {
            json.writeStartObject();
            json.writeStringField("name", h.name());
            json.writeFieldName("value");
            base64.write(json, h.value());
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeEndObject();
        }
        json.writeEndArray();
      }
    }
  }

  private static void writeEmbedded(
      JsonGenerator json, Base64Writer base64, byte[] bytes, JsonNode converted)
      throws IOException {
    if (converted != null) {
      json.writeTree(converted);
    } else {
      base64.write(json, bytes);
    }
  }

  /**
   * Writes bytes as a base64 JSON string through one buffer reused for every value of a response:
   * the JDK's encoder is vectorised (Jackson's is not), and allocating its output per value was the
   * largest single cost of a catch-up fetch in the profile.
   */
  private static final class Base64Writer {
    private byte[] buffer = new byte[0];

    void write(JsonGenerator json, byte[] bytes) throws IOException {
      if (bytes == null) {
        json.writeNull();
        return;
      }
      int length = 4 * ((bytes.length + 2) / 3);
      if (buffer.length < length) {
        buffer = new byte[Math.max(length, 2 * buffer.length)];
      }
      int written = Base64.getEncoder().encode(bytes, buffer);
      json.writeRawUTF8String(buffer, 0, written);
    }
  }

  /**
   * The format an {@code Accept} header prefers for records of a partition: an embedded format by name,
   * or binary for the types that name none (v2 JSON, plain JSON, a wildcard, no header); 406 / 40601
   * (no embedded format it can serve) when none.
   */
  public static EmbeddedFormat acceptedFormat(String accept) {
    List<String> offered = List.of(
        EmbeddedFormat.BINARY.mediaType(),
        EmbeddedFormat.JSON.mediaType(),
        EmbeddedFormat.V2_JSON,
        "application/json");
    return AcceptHeader.parse(accept)
        .preferred(offered)
        .map(type -> type.equals(EmbeddedFormat.JSON.mediaType())
            ? EmbeddedFormat.JSON
            : EmbeddedFormat.BINARY)
        .orElseThrow(() -> new HttpStatusException(
            HttpError.EMBEDDED_FORMAT_MISMATCH,
            "Cannot produce '" + accept + "': accept " + EmbeddedFormat.BINARY.mediaType() + " or "
                + EmbeddedFormat.JSON.mediaType() + "."));
  }

  /**
   * The format an {@code Accept} header prefers for records of a consumer instance that reads
   * {@code own}: its own, by name or by a type that names none; a v2 JSON Accept is binary, as in the
   * reference. Another format, or nothing acceptable, is 406 / 40601 (format mismatch).
   */
  public static EmbeddedFormat acceptedFormat(String accept, EmbeddedFormat own, String ownName) {
    EmbeddedFormat other =
        own == EmbeddedFormat.BINARY ? EmbeddedFormat.JSON : EmbeddedFormat.BINARY;
    List<String> offered =
        List.of(own.mediaType(), "application/json", EmbeddedFormat.V2_JSON, other.mediaType());
    String chosen = AcceptHeader.parse(accept).preferred(offered).orElse(other.mediaType());
    EmbeddedFormat format = chosen.equals(other.mediaType())
        ? other
        : chosen.equals(EmbeddedFormat.V2_JSON) ? EmbeddedFormat.BINARY : own;
    if (format != own) {
      throw new HttpStatusException(
          HttpError.EMBEDDED_FORMAT_MISMATCH,
          "The requested embedded data format does not match the "
              + "deserializer for this consumer instance: it reads " + ownName + ", so Accept "
              + own.mediaType() + ".");
    }
    return own;
  }
}
