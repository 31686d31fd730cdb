package io.rowstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rowstream acls list|create|delete}, on the REST Proxy's v3 ACL API. */
@Command(
    name = "acls",
    description = "List, create and delete ACL bindings (authentication on).",
    subcommands = {AclsCommand.ListAcls.class, AclsCommand.Create.class, AclsCommand.Delete.class})
final class AclsCommand {
  private AclsCommand() {}

  static final List<String> COLUMNS = List.of(
      "principal",
      "permission",
      "operation",
      "resource_type",
      "resource_name",
      "pattern_type",
      "host");

  /** The binding's fields, as the v3 API names them; null fields left out. */
  static class Binding {
    @Option(names = "--principal", description = "User:NAME (or User:* for everyone).")
    String principal;

    @Option(names = "--resource-type", description = "TOPIC, GROUP, CLUSTER or TRANSACTIONAL_ID.")
    String resourceType;

    @Option(
        names = "--resource-name",
        description = "The resource's name, or a prefix with --pattern-type PREFIXED.")
    String resourceName;

    @Option(
        names = "--pattern-type",
        description = "LITERAL or PREFIXED (list and delete: also ANY, MATCH).")
    String patternType;

    @Option(
        names = "--operation",
        description = "READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, …, ALL.")
    String operation;

    @Option(names = "--permission", description = "ALLOW or DENY.")
    String permission;

    @Option(names = "--host", description = "The client host (default *).")
    String host;

    Map<String, String> fields() {
      Map<String, String> f = new LinkedHashMap<>();
      f.put("principal", principal);
      f.put("resource_type", resourceType);
      f.put("resource_name", resourceName);
      f.put("pattern_type", patternType);
      f.put("operation", operation);
      f.put("permission", permission);
      f.put("host", host);
      f.values().removeIf(v -> v == null);
      return f;
    }

    String query() {
      List<String> parts = new ArrayList<>();
      fields().forEach((k, v) -> parts.add(k + "=" + Api.encode(v)));
      return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }
  }

  static List<Map<String, Object>> rows(JsonNode list) {
    List<Map<String, Object>> rows = new ArrayList<>();
    list.path("data").forEach(a -> {
      Map<String, Object> r = new LinkedHashMap<>();
      COLUMNS.forEach(c -> r.put(c, a.path(c).asText()));
      rows.add(r);
    });
    return rows;
  }

  @Command(name = "list", description = "Bindings matching the filter (every one without).")
  static final class ListAcls extends ApiCommand {
    @picocli.CommandLine.Mixin
    Binding filter = new Binding();

    @Override
    void run() {
      printer().rows(COLUMNS, rows(api().get(api().v3("/acls") + filter.query())));
    }
  }

  @Command(name = "create", description = "Add one binding.")
  static final class Create extends ApiCommand {
    @picocli.CommandLine.Mixin
    Binding binding = new Binding();

    @Override
    void run() {
      ObjectNode body = Api.object();
      binding.fields().forEach(body::put);
      if (!body.has("host")) {
        body.put("host", "*");
      }
      if (!body.has("pattern_type")) {
        body.put("pattern_type", "LITERAL");
      }
      JsonNode created = api().post(api().v3("/acls"), Api.V3, body);
      Map<String, Object> r = new LinkedHashMap<>();
      COLUMNS.forEach(c -> r.put(c, created.path(c).asText()));
      printer().rows(COLUMNS, List.of(r));
    }
  }

  @Command(name = "delete", description = "Delete the bindings matching the filter; prints them.")
  static final class Delete extends ApiCommand {
    @picocli.CommandLine.Mixin
    Binding filter = new Binding();

    @Override
    void run() {
      printer().rows(COLUMNS, rows(api().delete(api().v3("/acls") + filter.query())));
    }
  }
}
