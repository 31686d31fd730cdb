package io.rowstream.cli;

import static io.rowstream.cli.Printer.row;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rowstream users list|create|delete}: the users of HTTP Basic and SASL/PLAIN. */
@Command(
    name = "users",
    description = "List, create (or set the password of) and delete users (authentication on).",
    subcommands = {
      UsersCommand.ListUsers.class,
      UsersCommand.Create.class,
      UsersCommand.Delete.class
    })
final class UsersCommand {
  private UsersCommand() {}

  @Command(name = "list", description = "The users.")
  static final class ListUsers extends ApiCommand {
    @Override
    void run() {
      List<Map<String, Object>> rows = new ArrayList<>();
      api()
          .get(api().v3("/users"))
          .path("data")
          .forEach(u -> rows.add(row(
              "name", u.path("name").asText(),
              "principal", u.path("principal").asText(),
              "created_at", u.path("created_at").asText())));
      printer().rows(List.of("name", "principal", "created_at"), rows);
    }
  }

  @Command(name = "create", description = "Create a user, or set an existing user's password.")
  static final class Create extends ApiCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(
        names = "--new-password",
        required = true,
        interactive = true,
        arity = "0..1",
        description = "The user's password (asked for when given without a value).")
    String newPassword;

    @Override
    void run() {
      api()
          .post(
              api().v3("/users"),
              Api.V3,
              Api.object().put("name", name).put("password", newPassword));
      printer().note("user " + name + " saved");
    }
  }

  @Command(name = "delete", description = "Delete users (and their API keys).")
  static final class Delete extends ApiCommand {
    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Override
    void run() {
      for (String name : names) {
        api().delete(api().v3("/users/" + Api.encode(name)));
        printer().note("deleted user " + name);
      }
    }
  }
}
