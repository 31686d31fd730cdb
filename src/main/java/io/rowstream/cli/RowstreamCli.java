package io.rowstream.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code rowstream}: the command line, a client of the node's public HTTP API (and {@code serve},
 * which runs a node). Each subcommand is a class of this package; they reach the node only through
 * {@link Api}. Errors go to stderr with the server's {@code error_code}, data alone to stdout, and
 * the exit code says what happened ({@link ExitCodes}).
 */
@Command(
    name = "rowstream",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = RowstreamCli.Version.class,
    description = "Run a Rowstream node, or drive one over its HTTP API.",
    footer = {
      "",
      "Connection: --url/--user/--password/--api-key/--ca-cert, else ROWSTREAM_URL, ROWSTREAM_USER,",
      "ROWSTREAM_PASSWORD, ROWSTREAM_API_KEY, ROWSTREAM_CA_CERT, else the profile (--profile,",
      "ROWSTREAM_PROFILE or the current one in ~/.config/rowstream/config, or $ROWSTREAM_CONFIG),",
      "else " + Connection.DEFAULT_URL + ".",
      "",
      ExitCodes.HELP
    },
    subcommands = {
      ServeCommand.class,
      TopicsCommand.class,
      ProduceCommand.class,
      ConsumeCommand.class,
      GroupsCommand.class,
      AclsCommand.class,
      UsersCommand.class,
      ApiKeysCommand.class,
      ClusterCommand.class,
      ProfileCommand.class,
      CommandLine.HelpCommand.class
    })
public final class RowstreamCli {
  @Option(
      names = "--url",
      scope = ScopeType.INHERIT,
      description = "Base URL of a node (or of a load balancer), e.g. http://localhost:8082.")
  String url;

  @Option(names = "--user", scope = ScopeType.INHERIT, description = "User for HTTP Basic.")
  String user;

  @Option(names = "--password", scope = ScopeType.INHERIT, description = "Password for HTTP Basic.")
  String password;

  @Option(
      names = "--api-key",
      scope = ScopeType.INHERIT,
      description = "An API key token (rsk_…), sent as Authorization: Bearer.")
  String apiKey;

  @Option(
      names = "--ca-cert",
      scope = ScopeType.INHERIT,
      paramLabel = "PEM_FILE",
      description = "Certificates to trust for an https URL instead of the JDK's (PEM): the"
          + " authority that signed the node's certificate, or a self-signed one itself.")
  String caCert;

  @Option(
      names = "--profile",
      scope = ScopeType.INHERIT,
      description = "The profile to take settings from (see: rowstream profile).")
  String profile;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      description = "table (default, for people) or json (for scripts).")
  Printer.Format output = Printer.Format.table;

  private final Map<String, String> env;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final Function<String[], Integer> node;
  private Api api;

  private RowstreamCli(
      Map<String, String> env,
      InputStream in,
      PrintStream out,
      PrintStream err,
      Function<String[], Integer> node) {
    this.env = env;
    this.in = in;
    this.out = out;
    this.err = err;
    this.node = node;
  }

  /**
   * Runs the command line {@code args}; {@code node} runs a node with the node's own flags (for
   * {@code serve}). Returns the exit code.
   */
  public static int run(
      String[] args,
      Map<String, String> env,
      InputStream in,
      PrintStream out,
      PrintStream err,
      Function<String[], Integer> node) {
    RowstreamCli cli = new RowstreamCli(env, in, out, err, node);
    CommandLine line = new CommandLine(cli)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .setExecutionExceptionHandler(new Failures(err));
    return line.execute(args);
  }

  /** Whether {@code arg}, as the first argument, belongs to the command line rather than a node's flags. */
  public static boolean isCliArgument(String arg) {
    String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
    return !name.startsWith("-")
        || new CommandLine(new RowstreamCli(Map.of(), null, null, null, null))
            .getCommandSpec()
            .optionsMap()
            .containsKey(name);
  }

  Api api() {
    if (api == null) {
      api = new Api(Connection.resolve(
          new Connection.Flags(url, user, password, apiKey, caCert, profile), env, profiles()));
    }
    return api;
  }

  Profiles profiles() {
    return Profiles.load(Profiles.location(env));
  }

  Printer printer() {
    return new Printer(out, err, output);
  }

  InputStream in() {
    return in;
  }

  PrintStream err() {
    return err;
  }

  int serve(String[] nodeArgs) {
    return node.apply(nodeArgs);
  }

  /** {@code rowstream --version}: the jar's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RowstreamCli.class.getPackage().getImplementationVersion();
      return new String[] {"rowstream " + (v == null ? "(development build)" : v)};
    }
  }
}
