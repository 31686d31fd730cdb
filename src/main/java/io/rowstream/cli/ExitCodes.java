package io.rowstream.cli;

/**
 * The exit codes of {@code rowstream}, which scripts may rely on (listed in the README and in
 * {@code rowstream --help}).
 */
public final class ExitCodes {
  /** Done. */
  public static final int OK = 0;
  /** The server refused the request or failed (any error not listed below). */
  public static final int SERVER_ERROR = 1;
  /** The command line is wrong: an unknown command or option, a missing or invalid argument. */
  public static final int USAGE = 2;
  /** No answer from the server: it could not be reached, or the connection broke. */
  public static final int UNREACHABLE = 3;
  /** Credentials missing or wrong (401), or not allowed (403). */
  public static final int NOT_AUTHORIZED = 4;
  /** What the command names does not exist (404): a topic, a partition, a group, a user. */
  public static final int NOT_FOUND = 5;
  /** The request conflicts with the state (409): a group with live members, a topic that exists. */
  public static final int CONFLICT = 6;
  /** Interrupted (Ctrl-C) before the command finished, as shells report SIGINT. */
  public static final int INTERRUPTED = 130;

  /** The lines of {@code rowstream --help} that list them. */
  static final String HELP = """
      Exit codes:
        0    done
        1    the server refused the request or failed (error_code on stderr)
        2    usage error: unknown command or option, missing or invalid argument
        3    the server could not be reached
        4    not authenticated or not authorized (HTTP 401 or 403)
        5    not found (HTTP 404)
        6    conflict (HTTP 409), e.g. a group that still has live members
        130  interrupted (Ctrl-C)""";

  private ExitCodes() {}

  /** The exit code of an HTTP error status. */
  static int ofStatus(int status) {
    return switch (status) {
      case 401, 403 -> NOT_AUTHORIZED;
      case 404 -> NOT_FOUND;
      case 409 -> CONFLICT;
      default -> SERVER_ERROR;
    };
  }
}
