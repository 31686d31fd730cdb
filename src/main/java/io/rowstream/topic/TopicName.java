package io.rowstream.topic;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import java.util.regex.Pattern;

/** Kafka's topic-name rules: 1-249 characters of {@code [a-zA-Z0-9._-]}, not "." or "..". */
public final class TopicName {
  public static final int MAX_LENGTH = 249;
  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

  private TopicName() {}

  public static boolean isLegal(String name) {
    return name != null
        && !name.isEmpty()
        && name.length() <= MAX_LENGTH
        && !name.equals(".")
        && !name.equals("..")
        && LEGAL.matcher(name).matches();
  }

  /** Returns the name, or throws {@link BrokerError#INVALID_TOPIC} saying which rule it breaks. */
  public static String requireLegal(String name) {
    if (name == null || name.isEmpty()) {
      throw new BrokerException(BrokerError.INVALID_TOPIC, "Topic name is empty.");
    }
    if (name.length() > MAX_LENGTH) {
      throw new BrokerException(
          BrokerError.INVALID_TOPIC,
          "Topic name is " + name.length() + " characters long; the limit is " + MAX_LENGTH + ".");
    }
    if (name.equals(".") || name.equals("..")) {
      throw new BrokerException(BrokerError.INVALID_TOPIC, "Topic name cannot be \".\" or \"..\".");
    }
    if (!LEGAL.matcher(name).matches()) {
      throw new BrokerException(
          BrokerError.INVALID_TOPIC,
          "Topic name '" + name
              + "' is illegal: it may contain only ASCII letters, digits, '.', '_' and '-'.");
    }
    return name;
  }
}
