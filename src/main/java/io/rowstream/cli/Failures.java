package io.rowstream.cli;

import java.io.PrintStream;
import picocli.CommandLine;

/**
 * How a failed command ends: one line on stderr (with the server's {@code error_code} when the
 * server refused) and the exit code of {@link ExitCodes}.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {
  private final PrintStream err;

  Failures(PrintStream err) {
    this.err = err;
  }

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    return switch (e) {
      case ApiException api -> {
        err.println("error: " + api.getMessage() + " (HTTP " + api.status() + ", error_code "
            + api.errorCode() + ")");
        yield api.exitCode();
      }
      case UsageException usage -> {
        err.println("error: " + usage.getMessage());
        err.println("(see: " + commandLine.getCommandSpec().qualifiedName() + " --help)");
        yield ExitCodes.USAGE;
      }
      case NotFoundException missing -> {
        err.println("error: " + missing.getMessage());
        yield ExitCodes.NOT_FOUND;
      }
      case UnreachableException unreachable -> {
        err.println("error: " + unreachable.getMessage());
        yield ExitCodes.UNREACHABLE;
      }
      default -> {
        err.println("error: " + e);
        yield ExitCodes.SERVER_ERROR;
      }
    };
  }
}
