package io.rowstream.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code rowstream serve [--node-flag value …]}: runs a node, as {@code java -jar rowstream.jar} does. */
@Command(
    name = "serve",
    description = {
      "Run a node until SIGTERM (what `java -jar target/rowstream.jar` does).",
      "Takes the node's settings as flags (--http-port 8082, --db-url jdbc:…) or ROWSTREAM_* variables;",
      "see the README's Configuration section."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Unmatched
  List<String> nodeArgs = List.of();

  @Override
  public Integer call() {
    return ((RowstreamCli) spec.root().userObject()).serve(nodeArgs.toArray(String[]::new));
  }
}
