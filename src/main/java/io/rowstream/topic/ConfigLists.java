package io.rowstream.topic;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.topic.TopicAdmin.ConfigChange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kafka's APPEND and SUBTRACT of IncrementalAlterConfigs ({@code ConfigurationControlManager}): the
 * items of the change are added to, or removed from, the list the config holds now (its stored
 * value, else its built-in default); only list configs take them.
 */
final class ConfigLists {
  private ConfigLists() {}

  /** The list {@code change} makes of the config's current value, before its check. */
  static String apply(ConfigRule config, ConfigChange change, Map<String, String> current) {
    if (config.type() != ConfigType.LIST) {
      throw new BrokerException(
          BrokerError.INVALID_CONFIG,
          "Can't " + change.operation() + " to key " + change.name()
              + " because its type is not LIST.");
    }
    if (change.value() == null) {
      throw new BrokerException(
          BrokerError.INVALID_CONFIG,
          "A value is required to " + change.operation() + " to key " + change.name() + ".");
    }
    String now = current.getOrDefault(config.configName(), config.defaultValue());
    Set<String> items = new LinkedHashSet<>(items(now));
    List<String> changed = items(change.value());
    if (change.operation() == TopicAdmin.ConfigOperation.APPEND) {
      items.addAll(changed);
    } else {
      changed.forEach(items::remove);
    }
    return String.join(",", items);
  }

  private static List<String> items(String list) {
    List<String> items = new ArrayList<>();
    if (list != null) {
      for (String item : list.split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
    }
    return items;
  }
}
