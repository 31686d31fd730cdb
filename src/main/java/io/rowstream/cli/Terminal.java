package io.rowstream.cli;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * Whether a person watches stdout or stderr: {@code bin/rowstream} tells the JVM ({@code
 * -Drowstream.stdout.tty}, {@code -Drowstream.stderr.tty}, from {@code [ -t 1 ]} and {@code [ -t 2
 * ]}); without them the JVM's console decides for both.
 */
final class Terminal {
  private Terminal() {}

  static boolean stdout() {
    return is("rowstream.stdout.tty");
  }

  static boolean stderr() {
    return is("rowstream.stderr.tty");
  }

  private static boolean is(String property) {
    String told = System.getProperty(property);
    if (told != null) {
      return Boolean.parseBoolean(told);
    }
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try { // Java 22+: a console exists even when redirected; isTerminal says whether it is one
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // Java 21: a console exists only on a terminal
    }
  }
}
