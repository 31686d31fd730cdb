package io.rowstream.cli;

import static io.rowstream.cli.Printer.row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rowstream profile create|use|list|delete}, as {@code rpk profile}: named connection
 * settings in the profile file ({@link Profiles}). Creating a profile makes it the current one.
 */
@Command(
    name = "profile",
    description = "Named connection settings in ~/.config/rowstream/config (or $ROWSTREAM_CONFIG).",
    subcommands = {
      ProfileCommand.Create.class,
      ProfileCommand.Use.class,
      ProfileCommand.ListProfiles.class,
      ProfileCommand.Delete.class
    })
final class ProfileCommand {
  private ProfileCommand() {}

  /** A command on the profile file, which calls no node. */
  abstract static class FileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    RowstreamCli cli() {
      return (RowstreamCli) spec.root().userObject();
    }

    @Override
    public Integer call() {
      Profiles profiles = cli().profiles();
      run(profiles);
      return ExitCodes.OK;
    }

    abstract void run(Profiles profiles);
  }

  @Command(
      name = "create",
      description =
          "Create (or update) a profile from --url, --user, --password, --api-key, --ca-cert, and use it.")
  static final class Create extends FileCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--no-use", description = "Do not make it the current profile.")
    boolean noUse;

    @Override
    void run(Profiles profiles) {
      RowstreamCli cli = cli();
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("url", cli.url);
      settings.put("user", cli.user);
      settings.put("password", cli.password);
      settings.put("api_key", cli.apiKey);
      settings.put("ca_cert", cli.caCert);
      settings.values().removeIf(v -> v == null);
      profiles.put(name, settings);
      if (!noUse) {
        profiles.use(name);
      }
      profiles.save();
      cli.printer()
          .note("profile " + name + " saved in " + profiles.file()
              + (noUse ? "" : "; it is the current profile"));
    }
  }

  @Command(name = "use", description = "Make a profile the current one.")
  static final class Use extends FileCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    void run(Profiles profiles) {
      profiles.use(name);
      profiles.save();
      cli().printer().note("using profile " + name);
    }
  }

  @Command(name = "list", description = "The profiles (secrets hidden); * marks the current one.")
  static final class ListProfiles extends FileCommand {
    @Override
    void run(Profiles profiles) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (String name : profiles.names()) {
        Map<String, String> p = profiles.profile(name).orElseThrow();
        rows.add(row(
            "current",
            profiles.current().filter(name::equals).isPresent() ? "*" : "",
            "name",
            name,
            "url",
            p.getOrDefault("url", Connection.DEFAULT_URL),
            "user",
            p.get("user"),
            "api_key",
            p.containsKey("api_key") ? "(set)" : null));
      }
      cli().printer().rows(List.of("current", "name", "url", "user", "api_key"), rows);
    }
  }

  @Command(name = "delete", description = "Delete a profile.")
  static final class Delete extends FileCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    void run(Profiles profiles) {
      profiles.delete(name);
      profiles.save();
      cli().printer().note("deleted profile " + name);
    }
  }
}
