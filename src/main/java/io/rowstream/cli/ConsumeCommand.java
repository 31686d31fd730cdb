package io.rowstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rowstream consume TOPIC}: reads through a REST Proxy consumer instance and prints one record
 * per line until {@code --count} records, or Ctrl-C. Without {@code --group} the instance assigns
 * itself the partitions in a throwaway group (deleted at the end) and seeks; with {@code --group} it
 * joins the group, starts at the group's committed offsets (else the beginning or the end) and
 * commits what it printed, as kafka-console-consumer does.
 */
@Command(
    name = "consume",
    description = {
      "Print a topic's records, one per line, following new ones with long polls until Ctrl-C",
      "(or --count). From the end by default."
    })
final class ConsumeCommand extends ApiCommand {
  private static final Duration POLL = Duration.ofSeconds(5);

  enum Format {
    value,
    kv,
    json
  }

  @Parameters(paramLabel = "TOPIC")
  String topic;

  @Option(
      names = "--from-beginning",
      description =
          "Start at each partition's first record (a group: when it has no committed offset).")
  boolean fromBeginning;

  @Option(names = "--offset", description = "Start at this offset in each partition read.")
  Long offset;

  @Option(
      names = "--from-time",
      paramLabel = "TIME",
      description =
          "Start at the first record at or after TIME (ISO-8601, e.g. 2026-12-05T09:00:00Z, or ms).")
  String fromTime;

  @Option(
      names = {"-p", "--partition"},
      split = ",",
      description = "Read only these partitions (not with --group).")
  List<Integer> partitions;

  @Option(
      names = {"-g", "--group"},
      description = "Read as a member of this group, committing what is printed.")
  String group;

  @Option(
      names = {"-n", "--count"},
      description = "Exit after this many records.")
  Long count;

  @Option(
      names = "--format",
      description =
          "value (default): the value; kv: key, separator, value; json: one JSON object a record"
              + " (also with --output json).")
  Format format = Format.value;

  @Option(
      names = "--separator",
      description = "Between key and value with --format kv (default: a tab).")
  String separator = "\t";

  @Override
  void run() {
    if (group != null && (offset != null || fromTime != null || partitions != null)) {
      throw new UsageException(
          "--offset, --from-time and --partition read without a group;"
              + " a group starts at its committed offsets (move them with: rowstream groups reset-offsets)");
    }
    if ((fromBeginning ? 1 : 0) + (offset != null ? 1 : 0) + (fromTime != null ? 1 : 0) > 1) {
      throw new UsageException("give one of --from-beginning, --offset and --from-time");
    }
    Format shown = printer().json() ? Format.json : format;
    Api api = api();
    boolean throwaway = group == null;
    String groupName = throwaway ? "rowstream-cli-" + UUID.randomUUID() : group;
    String instance = "/consumers/" + Api.encode(groupName) + "/instances/cli-"
        + UUID.randomUUID().toString().substring(0, 8);
    ObjectNode create = Api.object()
        .put("name", instance.substring(instance.lastIndexOf('/') + 1))
        .put("format", "binary")
        .put("auto.offset.reset", fromBeginning ? "earliest" : "latest")
        .put("auto.commit.enable", "false");
    api.post("/consumers/" + Api.encode(groupName), Api.V2, create);
    Thread cleanup = new Thread(() -> leave(api, instance, throwaway ? groupName : null));
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      if (throwaway) {
        position(api, instance);
      } else {
        api.post(
            instance + "/subscription",
            Api.V2,
            Api.object().set("topics", Api.JSON.createArrayNode().add(topic)));
      }
      read(api, instance, shown);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
        leave(api, instance, throwaway ? groupName : null);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook leaves
      }
    }
  }

  /** Assigns the partitions to read and moves to where reading starts. */
  private void position(Api api, String instance) {
    List<Integer> read = partitions;
    if (read == null) {
      read = new ArrayList<>();
      int n = api.get(TopicsCommand.path(api, topic)).path("partitions_count").asInt();
      for (int p = 0; p < n; p++) {
        read.add(p);
      }
    }
    ArrayNode list = Api.JSON.createArrayNode();
    read.forEach(p -> list.addObject().put("topic", topic).put("partition", p));
    api.post(instance + "/assignments", Api.V2, Api.object().set("partitions", list));
    if (offset != null || fromTime != null) {
      ArrayNode at = Api.JSON.createArrayNode();
      read.forEach(p -> {
        ObjectNode o = at.addObject().put("topic", topic).put("partition", p);
        if (offset != null) {
          o.put("offset", offset);
        } else {
          o.put("timestamp", time(fromTime));
        }
      });
      api.post(
          instance + "/positions",
          Api.V2,
          Api.object().set(offset != null ? "offsets" : "timestamps", at));
    } else {
      api.post(
          instance + "/positions/" + (fromBeginning ? "beginning" : "end"),
          Api.V2,
          Api.object().set("partitions", list));
    }
  }

  static long time(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException notMs) {
      try {
        return Instant.parse(text).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new UsageException(
            "--from-time: not ISO-8601 (2026-12-05T09:00:00Z) nor ms: " + text);
      }
    }
  }

  private void read(Api api, String instance, Format shown) {
    PrintStream out = printer().out();
    long printed = 0;
    boolean progressShown = Terminal.stderr() && !Terminal.stdout();
    try (Progress progress =
        new Progress(cli().err(), "records consumed", count == null ? 0 : count, progressShown)) {
      while (count == null || printed < count) {
        JsonNode records = api.get(
            instance + "/records?timeout=" + POLL.toMillis(), Api.V2_BINARY, POLL.plusSeconds(30));
        Map<Integer, Long> last = new LinkedHashMap<>();
        for (JsonNode r : records) {
          if (count != null && printed == count) {
            break;
          }
          print(out, r, shown);
          last.put(r.path("partition").asInt(), r.path("offset").asLong());
          printed++;
        }
        out.flush();
        progress.add(last.isEmpty() ? 0 : records.size());
        if (group != null && !last.isEmpty()) {
          ArrayNode offsets = Api.JSON.createArrayNode();
          last.forEach((p, o) ->
              offsets.addObject().put("topic", topic).put("partition", p).put("offset", o));
          api.post(instance + "/offsets", Api.V2, Api.object().set("offsets", offsets));
        }
      }
    }
  }

  private void print(PrintStream out, JsonNode r, Format shown) {
    byte[] value = bytes(r.path("value"));
    switch (shown) {
      case value -> out.write(value, 0, value.length);
      case kv -> {
        byte[] key = bytes(r.path("key"));
        out.write(key, 0, key.length);
        out.print(separator);
        out.write(value, 0, value.length);
      }
      case json -> {
        ObjectNode line = Api.object()
            .put("topic", r.path("topic").asText())
            .put("partition", r.path("partition").asInt())
            .put("offset", r.path("offset").asLong())
            .put("timestamp", r.path("timestamp").asLong());
        line.put("key", r.path("key").isNull() ? null : text(r.path("key")));
        line.put(
            "value", r.path("value").isNull() ? null : new String(value, StandardCharsets.UTF_8));
        ObjectNode headers = line.putObject("headers");
        r.path("headers").forEach(h -> headers.put(h.path("name").asText(), text(h.path("value"))));
        out.print(line.toString());
      }
    }
    out.println();
  }

  private static byte[] bytes(JsonNode base64) {
    return base64 == null || base64.isNull() || base64.isMissingNode()
        ? new byte[0]
        : Base64.getDecoder().decode(base64.asText());
  }

  private static String text(JsonNode base64) {
    return new String(bytes(base64), StandardCharsets.UTF_8);
  }

  /** Deletes the instance (and a throwaway group) so no member outlives the command. */
  private static void leave(Api api, String instance, String throwawayGroup) {
    try {
      api.delete(instance, Api.V2);
      if (throwawayGroup != null) {
        api.delete(api.v3("/consumer-groups/" + Api.encode(throwawayGroup)));
      }
    } catch (ApiException | UnreachableException e) {
      // already gone, or the node went away: its lease ends by itself
    }
  }
}
