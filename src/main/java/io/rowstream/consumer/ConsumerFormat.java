package io.rowstream.consumer;

import java.util.Locale;

/** How a consumer instance shows keys and values: {@code binary} (base64) or {@code json}. */
public enum ConsumerFormat {
  BINARY,
  JSON;

  /** The config value, as stored in {@code consumer_instance.format}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The value stored in {@code consumer_instance}, which its check constraint keeps valid. */
  static ConsumerFormat ofConfigName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
