package io.rowstream.topic;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Kafka's value types and checks for configs ({@code ConfigDef}'s INT, LONG, DOUBLE, BOOLEAN and
 * LIST with their ranges and validators). Values arrive trimmed. Lists and booleans are also
 * normalised as Kafka prints them back: list items trimmed, repeats dropped, joined by commas;
 * booleans in lower case; numbers as their parsed value prints.
 */
final class ConfigValues {
  private static final Pattern PARTITION_BROKER = Pattern.compile("[0-9]+:[0-9]+");

  private ConfigValues() {}

  /** A check that also says how a legal value is stored, and of which type the value is. */
  interface Normalising extends Predicate<String> {
    String normalise(String value);

    ConfigType type();
  }

  /** The type of the values {@code check} accepts: a string unless the check says otherwise. */
  static ConfigType typeOf(Predicate<String> check) {
    return check instanceof Normalising n ? n.type() : ConfigType.STRING;
  }

  static final Normalising BOOLEAN = new Normalising() {
    @Override
    public boolean test(String v) {
      return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
    }

    @Override
    public String normalise(String v) {
      return v.toLowerCase(Locale.ROOT);
    }

    @Override
    public ConfigType type() {
      return ConfigType.BOOLEAN;
    }
  };

  /**
   * Kafka's {@code ThrottledReplicaListValidator}: empty, {@code *} alone, or partition:broker pairs.
   */
  static final Normalising THROTTLED_REPLICAS = new Normalising() {
    @Override
    public boolean test(String v) {
      List<String> items = items(v);
      return items != null
          && (items.equals(List.of("*"))
              || items.stream().allMatch(i -> PARTITION_BROKER.matcher(i).matches()));
    }

    @Override
    public String normalise(String v) {
      return uniqueItems(v);
    }

    @Override
    public ConfigType type() {
      return ConfigType.LIST;
    }
  };

  /** The value as stored: normalised when the check says how, else as given (trimmed). */
  static String normalised(String value, Predicate<String> check) {
    return check instanceof Normalising n ? n.normalise(value) : value;
  }

  /** A boolean that may only take that value. */
  static Normalising booleanOnly(boolean only) {
    return new Normalising() {
      @Override
      public boolean test(String v) {
        return BOOLEAN.test(v) && Boolean.parseBoolean(v) == only;
      }

      @Override
      public String normalise(String v) {
        return BOOLEAN.normalise(v);
      }

      @Override
      public ConfigType type() {
        return ConfigType.BOOLEAN;
      }
    };
  }

  /** Kafka's {@code ValidList.in}: a comma-separated list (possibly empty) of those values; repeats dropped. */
  static Normalising listOf(Set<String> allowed) {
    return new Normalising() {
      @Override
      public boolean test(String v) {
        List<String> items = items(v);
        return items != null && allowed.containsAll(items);
      }

      @Override
      public String normalise(String v) {
        return uniqueItems(v);
      }

      @Override
      public ConfigType type() {
        return ConfigType.LIST;
      }
    };
  }

  /** The list without spaces or repeats, as Kafka prints a LIST config. */
  private static String uniqueItems(String v) {
    return String.join(",", new LinkedHashSet<>(items(v)));
  }

  /** The items of a comma-separated list, trimmed; empty for ""; null when an item is empty. */
  private static List<String> items(String v) {
    if (v.isEmpty()) {
      return List.of();
    }
    List<String> items = List.of(v.split(",", -1)).stream().map(String::trim).toList();
    return items.contains("") ? null : items;
  }

  static Predicate<String> longAtLeast(long min) {
    return number(
        ConfigType.LONG, v -> Long.parseLong(v) >= min, v -> Long.toString(Long.parseLong(v)));
  }

  static Predicate<String> intAtLeast(int min) {
    return intBetween(min, Integer.MAX_VALUE);
  }

  static Predicate<String> intBetween(int min, int max) {
    return intBetweenOr(min, max, min);
  }

  /** An int from min to max, or {@code also} (Kafka's gzip level: 1 to 9, or -1). */
  static Predicate<String> intBetweenOr(int min, int max, int also) {
    return number(
        ConfigType.INT,
        v -> {
          int i = Integer.parseInt(v);
          return i >= min && i <= max || i == also;
        },
        v -> Integer.toString(Integer.parseInt(v)));
  }

  static Predicate<String> doubleBetween(double min, double max) {
    return number(
        ConfigType.DOUBLE,
        v -> {
          double d = Double.parseDouble(v);
          return d >= min && d <= max;
        },
        v -> Double.toString(Double.parseDouble(v)));
  }

  /**
   * A number that parses and is in range, stored as Kafka prints the parsed value ({@code 1} as
   * {@code 1.0} for a double).
   */
  private static Normalising number(
      ConfigType type, Predicate<String> inRange, UnaryOperator<String> printed) {
    return new Normalising() {
      @Override
      public boolean test(String v) {
        try {
          return inRange.test(v);
        } catch (NumberFormatException e) {
          return false;
        }
      }

      @Override
      public String normalise(String v) {
        return printed.apply(v);
      }

      @Override
      public ConfigType type() {
        return type;
      }
    };
  }
}
