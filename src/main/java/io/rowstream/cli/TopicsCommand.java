package io.rowstream.cli;

import static io.rowstream.cli.Printer.row;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rowstream topics list|create|describe|alter|delete}, on the v3 topic API. */
@Command(
    name = "topics",
    description = "List, create, describe, alter and delete topics.",
    subcommands = {
      TopicsCommand.ListTopics.class,
      TopicsCommand.Create.class,
      TopicsCommand.Describe.class,
      TopicsCommand.Alter.class,
      TopicsCommand.Delete.class
    })
final class TopicsCommand {
  private TopicsCommand() {}

  static String path(Api api, String topic) {
    return api.v3("/topics/" + Api.encode(topic));
  }

  @Command(name = "list", description = "The topics, with partitions and replication factor.")
  static final class ListTopics extends ApiCommand {
    @Override
    void run() {
      List<Map<String, Object>> rows = new ArrayList<>();
      api()
          .get(api().v3("/topics"))
          .path("data")
          .forEach(t -> rows.add(row(
              "name", t.path("topic_name").asText(),
              "partitions", t.path("partitions_count").asInt(),
              "replicas", t.path("replication_factor").asInt())));
      printer().rows(List.of("name", "partitions", "replicas"), rows);
    }
  }

  @Command(name = "create", description = "Create topics.")
  static final class Create extends ApiCommand {
    @Parameters(arity = "1..*", paramLabel = "TOPIC", description = "Names of the topics.")
    List<String> topics;

    @Option(
        names = {"-p", "--partitions"},
        description = "Partition count (default: the cluster's).")
    Integer partitions;

    @Option(
        names = {"-r", "--replicas"},
        description = "Replication factor (default: the cluster's).")
    Integer replicas;

    @Option(
        names = {"-c", "--config"},
        paramLabel = "NAME=VALUE",
        description = "A topic config, Kafka's names (retention.ms=86400000); repeatable.")
    Map<String, String> configs = new LinkedHashMap<>();

    @Override
    void run() {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (String topic : topics) {
        ObjectNode body = Api.object().put("topic_name", topic);
        if (partitions != null) {
          body.put("partitions_count", partitions);
        }
        if (replicas != null) {
          body.put("replication_factor", replicas);
        }
        ArrayNode list = body.putArray("configs");
        configs.forEach((k, v) -> list.addObject().put("name", k).put("value", v));
        JsonNode created = api().post(api().v3("/topics"), Api.V3, body);
        rows.add(row(
            "name", topic,
            "partitions", created.path("partitions_count").asInt(),
            "replicas", created.path("replication_factor").asInt()));
      }
      printer().rows(List.of("name", "partitions", "replicas"), rows);
    }
  }

  @Command(
      name = "describe",
      description = "A topic's summary, its configs (overrides marked) and its partitions"
          + " (leader, replicas, log start and end).")
  static final class Describe extends ApiCommand {
    @Parameters(paramLabel = "TOPIC")
    String topic;

    @Override
    void run() {
      JsonNode t = api().get(path(api(), topic));
      List<Map<String, Object>> configs = new ArrayList<>();
      api()
          .get(path(api(), topic) + "/configs")
          .path("data")
          .forEach(c -> configs.add(row(
              "name", c.path("name").asText(),
              "value", c.path("value"),
              "source", c.path("source").asText())));
      List<Map<String, Object>> partitions = new ArrayList<>();
      String v2 = "/topics/" + Api.encode(topic) + "/partitions";
      for (JsonNode p : api().get(v2, Api.V2, Api.TIMEOUT)) {
        int id = p.path("partition").asInt();
        JsonNode offsets = api().get(v2 + "/" + id + "/offsets", Api.V2, Api.TIMEOUT);
        List<String> replicas = new ArrayList<>();
        p.path("replicas")
            .forEach(r -> replicas.add(r.path("broker").asText()
                + (r.path("in_sync").asBoolean() ? "" : "(out of sync)")));
        partitions.add(row(
            "partition", id,
            "leader", p.path("leader").asInt(),
            "replicas", String.join(",", replicas),
            "log_start", offsets.path("beginning_offset").asLong(),
            "log_end", offsets.path("end_offset").asLong()));
      }
      Printer out = printer();
      if (out.json()) {
        ObjectNode all = Api.object()
            .put("name", topic)
            .put("partitions_count", t.path("partitions_count").asInt())
            .put("replication_factor", t.path("replication_factor").asInt());
        all.set("configs", Api.JSON.valueToTree(configs));
        all.set("partitions", Api.JSON.valueToTree(partitions));
        out.json(all);
        return;
      }
      out.object(row(
          "name", topic,
          "partitions", t.path("partitions_count").asInt(),
          "replicas", t.path("replication_factor").asInt()));
      out.out().println();
      out.rows(List.of("name", "value", "source"), configs);
      out.out().println();
      out.rows(List.of("partition", "leader", "replicas", "log_start", "log_end"), partitions);
    }
  }

  @Command(name = "alter", description = "Set or delete topic configs, or add partitions.")
  static final class Alter extends ApiCommand {
    @Parameters(paramLabel = "TOPIC")
    String topic;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Set a config; repeatable.")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(
        names = "--delete",
        paramLabel = "NAME",
        description = "Delete a config override (back to the default); repeatable.")
    List<String> delete = new ArrayList<>();

    @Option(
        names = {"-p", "--partitions"},
        description = "The new partition count (more, never fewer).")
    Integer partitions;

    @Override
    void run() {
      if (set.isEmpty() && delete.isEmpty() && partitions == null) {
        throw new UsageException("nothing to alter: give --set, --delete or --partitions");
      }
      if (!set.isEmpty() || !delete.isEmpty()) {
        ObjectNode body = Api.object();
        ArrayNode data = body.putArray("data");
        set.forEach(
            (k, v) -> data.addObject().put("name", k).put("value", v).put("operation", "SET"));
        delete.forEach(k -> data.addObject().put("name", k).put("operation", "DELETE"));
        api().post(path(api(), topic) + "/configs:alter", Api.V3, body);
      }
      if (partitions != null) {
        api()
            .post(
                path(api(), topic) + "/partitions",
                Api.V3,
                Api.object().put("partitions_count", partitions));
      }
      printer().note("altered topic " + topic);
    }
  }

  @Command(name = "delete", description = "Delete topics and their records.")
  static final class Delete extends ApiCommand {
    @Parameters(arity = "1..*", paramLabel = "TOPIC")
    List<String> topics;

    @Override
    void run() {
      for (String topic : topics) {
        api().delete(path(api(), topic));
        printer().note("deleted topic " + topic);
      }
    }
  }
}
