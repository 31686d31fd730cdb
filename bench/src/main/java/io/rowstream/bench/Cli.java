package io.rowstream.bench;

import java.util.HashMap;
import java.util.Map;
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

  /** {@code --name value} pairs by name (a later one wins); anything else is refused with the usage. */
  static Map<String, String> flags(String[] args, String usage) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("bad argument '" + args[i] + "'\n" + usage);
      }
      flags.put(args[i].substring(2), args[i + 1]);
    }
    return flags;
  }

  /** The value of {@code --name}, or {@code fallback} when the flag is absent ({@code value} null). */
  static int integer(String value, String name, int fallback) {
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be an integer, got '" + value + "'");
    }
  }
}
