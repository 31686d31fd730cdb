package io.rowstream.bench;

import java.util.function.Function;

/** The command line of the bench tools. */
final class Cli {
  private Cli() {}

  /** The parsed flags; on a bad flag, prints the parser's message (with its usage) and exits with status 2. */
  static <T> T parseOrExit(String[] args, Function<String[], T> parse) {
    try {
      return parse.apply(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      throw e;
    }
  }
}
