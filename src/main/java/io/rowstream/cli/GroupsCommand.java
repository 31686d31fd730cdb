package io.rowstream.cli;

import static io.rowstream.cli.Printer.row;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rowstream groups list|describe|lag|reset-offsets|delete}, on the v3 consumer-group API. */
@Command(
    name = "groups",
    description = "List, describe and delete consumer groups; show their lag; reset their offsets.",
    subcommands = {
      GroupsCommand.ListGroups.class,
      GroupsCommand.Describe.class,
      GroupsCommand.Lag.class,
      GroupsCommand.ResetOffsets.class,
      GroupsCommand.Delete.class
    })
final class GroupsCommand {
  private GroupsCommand() {}

  static String path(Api api, String group) {
    return api.v3("/consumer-groups/" + Api.encode(group));
  }

  /** Each committed partition's lag: topic, partition, committed offset, log end, lag, owner. */
  static List<Map<String, Object>> lags(Api api, String group) {
    List<Map<String, Object>> rows = new ArrayList<>();
    api.get(path(api, group) + "/lags")
        .path("data")
        .forEach(l -> rows.add(row(
            "topic", l.path("topic_name").asText(),
            "partition", l.path("partition_id").asInt(),
            "current_offset", l.path("current_offset").asLong(),
            "log_end_offset", l.path("log_end_offset").asLong(),
            "lag", l.path("lag").asLong(),
            "consumer_id", l.path("consumer_id").asText(""),
            "instance_id", l.path("instance_id"))));
    return rows;
  }

  static final List<String> LAG_COLUMNS = List.of(
      "topic",
      "partition",
      "current_offset",
      "log_end_offset",
      "lag",
      "consumer_id",
      "instance_id");

  @Command(name = "list", description = "The groups, with state, type and generation.")
  static final class ListGroups extends ApiCommand {
    @Override
    void run() {
      List<Map<String, Object>> rows = new ArrayList<>();
      api()
          .get(api().v3("/consumer-groups"))
          .path("data")
          .forEach(g -> rows.add(row(
              "group", g.path("consumer_group_id").asText(),
              "state", g.path("state").asText(),
              "type", g.path("type").asText(),
              "generation", g.path("generation_id").asInt())));
      printer().rows(List.of("group", "state", "type", "generation"), rows);
    }
  }

  @Command(
      name = "describe",
      description = "A group: state, assignor, members and their partitions, lag per partition.")
  static final class Describe extends ApiCommand {
    @Parameters(paramLabel = "GROUP")
    String group;

    @Override
    void run() {
      JsonNode g = api().get(path(api(), group));
      List<Map<String, Object>> members = new ArrayList<>();
      api().get(path(api(), group) + "/consumers").path("data").forEach(c -> {
        List<String> owned = new ArrayList<>();
        c.path("partitions")
            .forEach(p -> owned.add(
                p.path("topic_name").asText() + "-" + p.path("partition_id").asInt()));
        members.add(row(
            "consumer_id", c.path("consumer_id").asText(),
            "instance_id", c.path("instance_id"),
            "partitions", String.join(",", owned)));
      });
      List<Map<String, Object>> lags = lags(api(), group);
      Map<String, Object> summary = row(
          "group", group,
          "state", g.path("state").asText(),
          "type", g.path("type").asText(),
          "generation", g.path("generation_id").asInt(),
          "assignor", g.path("partition_assignor").asText(),
          "members", members.size());
      Printer out = printer();
      if (out.json()) {
        ObjectNode all = Api.JSON.valueToTree(summary);
        all.set("members", Api.JSON.valueToTree(members));
        all.set("lags", Api.JSON.valueToTree(lags));
        out.json(all);
        return;
      }
      out.object(summary);
      out.out().println();
      out.rows(List.of("consumer_id", "instance_id", "partitions"), members);
      out.out().println();
      out.rows(LAG_COLUMNS, lags);
    }
  }

  @Command(
      name = "lag",
      description = "How far the group is behind, per partition it committed in, and in total.")
  static final class Lag extends ApiCommand {
    @Parameters(paramLabel = "GROUP")
    String group;

    @Override
    void run() {
      List<Map<String, Object>> lags = lags(api(), group);
      printer().rows(LAG_COLUMNS, lags);
      if (!printer().json()) {
        long total = lags.stream().mapToLong(l -> (Long) l.get("lag")).sum();
        printer().note("total lag " + total);
      }
    }
  }

  @Command(
      name = "reset-offsets",
      description = {
        "Move a group's committed offsets, as kafka-consumer-groups.sh --reset-offsets does.",
        "Shows the plan (--dry-run, the default); --execute stores it. Refused while the group has live members."
      })
  static final class ResetOffsets extends ApiCommand {
    @Parameters(paramLabel = "GROUP")
    String group;

    @ArgGroup(multiplicity = "1")
    To to;

    static final class To {
      @Option(
          names = "--to-earliest",
          required = true,
          description = "Each partition's first offset.")
      boolean earliest;

      @Option(names = "--to-latest", required = true, description = "Each partition's log end.")
      boolean latest;

      @Option(
          names = "--to-datetime",
          required = true,
          paramLabel = "TIME",
          description = "The first record at or after TIME (ISO-8601 or ms), else the log end.")
      String time;

      @Option(
          names = "--to-offset",
          required = true,
          description = "This offset, in every partition of --topic.")
      Long offset;
    }

    @Option(
        names = {"-t", "--topic"},
        description =
            "Only this topic's partitions (all of them); else every partition the group committed in.")
    String topic;

    @Option(names = "--execute", description = "Store the new offsets.")
    boolean execute;

    @Option(names = "--dry-run", description = "Only show the new offsets (the default).")
    boolean dryRun;

    @Override
    void run() {
      if (execute && dryRun) {
        throw new UsageException("give --dry-run or --execute, not both");
      }
      ObjectNode body = Api.object().put("dry_run", !execute);
      if (to.offset != null) {
        if (topic == null) {
          throw new UsageException("--to-offset needs --topic");
        }
        body.put("strategy", "offsets");
        ArrayNode offsets = body.putArray("offsets");
        int n =
            api().get(TopicsCommand.path(api(), topic)).path("partitions_count").asInt();
        for (int p = 0; p < n; p++) {
          offsets
              .addObject()
              .put("topic_name", topic)
              .put("partition_id", p)
              .put("offset", to.offset);
        }
      } else {
        if (to.earliest) {
          body.put("strategy", "earliest");
        } else if (to.latest) {
          body.put("strategy", "latest");
        } else {
          body.put("strategy", "timestamp").put("timestamp", ConsumeCommand.time(to.time));
        }
        if (topic != null) {
          body.put("topic_name", topic);
        }
      }
      Map<String, Long> before = new HashMap<>();
      lags(api(), group)
          .forEach(l -> before.put(
              l.get("topic") + "-" + l.get("partition"), (Long) l.get("current_offset")));
      JsonNode answer = api().post(path(api(), group) + "/offsets:reset", Api.V3, body);
      List<Map<String, Object>> rows = new ArrayList<>();
      answer.path("data").forEach(o -> {
        String tp = o.path("topic_name").asText() + "-" + o.path("partition_id").asInt();
        rows.add(row(
            "group", group,
            "topic", o.path("topic_name").asText(),
            "partition", o.path("partition_id").asInt(),
            "current_offset", before.get(tp),
            "new_offset", o.path("offset").asLong()));
      });
      printer().rows(List.of("group", "topic", "partition", "current_offset", "new_offset"), rows);
      if (!printer().json()) {
        printer()
            .note(execute ? "offsets reset" : "dry run: nothing stored (use --execute to store)");
      }
    }
  }

  @Command(
      name = "delete",
      description = "Delete groups and their committed offsets (refused while a member is live).")
  static final class Delete extends ApiCommand {
    @Parameters(arity = "1..*", paramLabel = "GROUP")
    List<String> groups;

    @Override
    void run() {
      for (String group : groups) {
        api().delete(path(api(), group));
        printer().note("deleted group " + group);
      }
    }
  }
}
