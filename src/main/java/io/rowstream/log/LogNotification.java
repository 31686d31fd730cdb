package io.rowstream.log;

import java.util.ArrayList;
import java.util.List;

/**
 * The payload of a {@code rowstream_log} notification: {@code <sender node id>|<topic id>:<partition>,…}.
 */
final class LogNotification {
  private LogNotification() {}

  static List<String> encode(int nodeId, List<PartitionKey> keys, int maxPayload) {
    List<String> payloads = new ArrayList<>();
    String prefix = nodeId + "|";
    StringBuilder current = new StringBuilder(prefix);
    for (PartitionKey key : keys) {
      String item = key.topicId() + ":" + key.partition();
      if (current.length() > prefix.length() && current.length() + 1 + item.length() > maxPayload) {
        payloads.add(current.toString());
        current = new StringBuilder(prefix);
      }
      if (current.length() > prefix.length()) {
        current.append(',');
      }
      current.append(item);
    }
    if (current.length() > prefix.length()) {
      payloads.add(current.toString());
    }
    return payloads;
  }

  /** The sender's node id. */
  static int sender(String payload) {
    return Integer.parseInt(payload.substring(0, payload.indexOf('|')));
  }

  static List<PartitionKey> keys(String payload) {
    List<PartitionKey> keys = new ArrayList<>();
    for (String item : payload.substring(payload.indexOf('|') + 1).split(",")) {
      int colon = item.indexOf(':');
      keys.add(new PartitionKey(
          Long.parseLong(item.substring(0, colon)), Integer.parseInt(item.substring(colon + 1))));
    }
    return keys;
  }
}
