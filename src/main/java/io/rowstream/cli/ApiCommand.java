package io.rowstream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that calls the node: it runs with the root command's connection and printer. */
abstract class ApiCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  RowstreamCli cli() {
    return (RowstreamCli) spec.root().userObject();
  }

  Api api() {
    return cli().api();
  }

  Printer printer() {
    return cli().printer();
  }

  @Override
  public final Integer call() {
    run();
    return ExitCodes.OK;
  }

  abstract void run();
}
