package io.rowstream.cli;

import static io.rowstream.cli.Printer.row;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rowstream produce TOPIC}: one record per line of stdin (or {@code --file}), sent in batches
 * with the REST Proxy's v2 produce; prints, per partition, the offsets the records got.
 */
@Command(
    name = "produce",
    description = {
      "Produce one record per line of stdin (or --file) to a topic.",
      "Prints the offsets the records got, per partition."
    })
final class ProduceCommand extends ApiCommand {
  /** Records per request. */
  private static final int BATCH = 500;

  enum Format {
    raw,
    json
  }

  @Parameters(paramLabel = "TOPIC")
  String topic;

  @Option(
      names = {"-f", "--file"},
      description = "Read lines from this file instead of stdin.")
  Path file;

  @Option(
      names = {"-k", "--key-separator"},
      paramLabel = "SEP",
      description = "Each line is KEY<SEP>VALUE (split at the first SEP); without it, no keys.")
  String keySeparator;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "NAME=VALUE",
      description = "A header added to every record; repeatable.")
  Map<String, String> headers = new LinkedHashMap<>();

  @Option(
      names = {"-p", "--partition"},
      description = "Send every record to this partition (else by key, else spread).")
  Integer partition;

  @Option(
      names = "--format",
      description =
          "raw (default): keys and values are the lines' bytes; json: each is a JSON value.")
  Format format = Format.raw;

  @Override
  void run() {
    Map<Integer, long[]> ranges = new TreeMap<>(); // partition -> first, last, count
    long total = 0;
    try (BufferedReader lines = reader();
        Progress progress = new Progress(cli().err(), "records produced", 0, Terminal.stderr())) {
      List<String> batch = new ArrayList<>();
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        batch.add(line);
        if (batch.size() == BATCH) {
          total += send(batch, ranges);
          progress.add(batch.size());
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        total += send(batch, ranges);
        progress.add(batch.size());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    ranges.forEach((p, r) ->
        rows.add(row("partition", p, "first_offset", r[0], "last_offset", r[1], "records", r[2])));
    printer().rows(List.of("partition", "first_offset", "last_offset", "records"), rows);
    if (!printer().json()) {
      printer().note("produced " + total + " record" + (total == 1 ? "" : "s") + " to " + topic);
    }
  }

  private BufferedReader reader() throws IOException {
    if (file != null) {
      return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }
    return new BufferedReader(new InputStreamReader(cli().in(), StandardCharsets.UTF_8));
  }

  /** Sends one batch; returns how many records were written. */
  private int send(List<String> lines, Map<Integer, long[]> ranges) {
    ObjectNode body = Api.object();
    ArrayNode records = body.putArray("records");
    for (String line : lines) {
      ObjectNode record = records.addObject();
      String value = line;
      if (keySeparator != null) {
        int at = line.indexOf(keySeparator);
        if (at >= 0) {
          record.set("key", datum(line.substring(0, at)));
          value = line.substring(at + keySeparator.length());
        }
      }
      record.set("value", datum(value));
      if (!headers.isEmpty()) {
        ArrayNode list = record.putArray("headers");
        headers.forEach((k, v) -> list.addObject()
            .put("name", k)
            .put("value", Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
      }
    }
    String path =
        "/topics/" + Api.encode(topic) + (partition == null ? "" : "/partitions/" + partition);
    JsonNode answer = api().post(path, format == Format.json ? Api.V2_JSON : Api.V2_BINARY, body);
    int written = 0;
    for (JsonNode o : answer.path("offsets")) {
      if (!o.path("error_code").isNull() && !o.path("error_code").isMissingNode()) {
        throw new ApiException(
            500,
            o.path("error_code").asInt(),
            "a record was refused: " + o.path("error").asText());
      }
      long offset = o.path("offset").asLong();
      ranges.merge(o.path("partition").asInt(), new long[] {offset, offset, 1}, (a, b) ->
          new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1]), a[2] + b[2]});
      written++;
    }
    return written;
  }

  private JsonNode datum(String text) {
    if (format == Format.json) {
      try {
        return Api.JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw new UsageException("--format json: not a JSON value: " + text);
      }
    }
    return Api.JSON
        .getNodeFactory()
        .textNode(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
  }
}
