package io.rowstream.kafka;

import io.rowstream.topic.Topic;
import java.util.UUID;
import org.apache.kafka.common.Uuid;

/** Kafka's topic ids of Rowstream's topics ({@code topic.topic_uuid}). */
public final class KafkaIds {
  private KafkaIds() {}

  /** The topic's Kafka id; the zero id for a topic not stored (a validate-only create). */
  public static Uuid of(Topic topic) {
    UUID uuid = topic.uuid();
    return uuid == null
        ? Uuid.ZERO_UUID
        : new Uuid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
  }
}
