package io.rowstream.cli;

import static io.rowstream.cli.Printer.row;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rowstream api-keys list|create|delete}. */
@Command(
    name = "api-keys",
    description = "List, create and delete API keys (authentication on).",
    subcommands = {
      ApiKeysCommand.ListKeys.class,
      ApiKeysCommand.Create.class,
      ApiKeysCommand.Delete.class
    })
final class ApiKeysCommand {
  private ApiKeysCommand() {}

  static final List<String> COLUMNS =
      List.of("key_id", "principal", "description", "expires_at", "created_at");

  static Map<String, Object> key(JsonNode k) {
    return row(
        "key_id", k.path("key_id").asText(),
        "principal", k.path("principal").asText(),
        "description", k.path("description"),
        "expires_at", k.path("expires_at"),
        "created_at", k.path("created_at").asText());
  }

  @Command(name = "list", description = "The API keys (never their tokens).")
  static final class ListKeys extends ApiCommand {
    @Override
    void run() {
      List<Map<String, Object>> rows = new ArrayList<>();
      api().get(api().v3("/api-keys")).path("data").forEach(k -> rows.add(key(k)));
      printer().rows(COLUMNS, rows);
    }
  }

  @Command(
      name = "create",
      description = "Create an API key for a user; prints its token, shown this once.")
  static final class Create extends ApiCommand {
    @Parameters(paramLabel = "USER", description = "The user the key signs in as.")
    String user;

    @Option(names = "--description")
    String description;

    @Option(
        names = "--expires-at",
        paramLabel = "TIME",
        description = "ISO-8601, e.g. 2030-01-01T00:00:00Z.")
    String expiresAt;

    @Override
    void run() {
      ObjectNode body = Api.object().put("principal", user);
      if (description != null) {
        body.put("description", description);
      }
      if (expiresAt != null) {
        body.put("expires_at", expiresAt);
      }
      JsonNode k = api().post(api().v3("/api-keys"), Api.V3, body);
      Map<String, Object> r = key(k);
      r.put("token", k.path("token").asText());
      printer().object(r);
    }
  }

  @Command(name = "delete", description = "Delete API keys by key id.")
  static final class Delete extends ApiCommand {
    @Parameters(arity = "1..*", paramLabel = "KEY-ID")
    List<String> ids;

    @Override
    void run() {
      for (String id : ids) {
        api().delete(api().v3("/api-keys/" + Api.encode(id)));
        printer().note("deleted API key " + id);
      }
    }
  }
}
