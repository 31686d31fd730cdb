package io.rowstream.kafka.records;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.kafka.KafkaIds;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicCache;
import io.rowstream.topic.TopicService;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.Uuid;

/**
 * The topics that Kafka topic ids name (Produce v13, Fetch v13 and later send ids, not names). An
 * id's name is remembered; the topic itself is read through the topic cache and must still carry
 * the id (a topic deleted and created again has a new one). An id not remembered lists the topics
 * once: clients send only ids that Metadata gave them.
 */
final class TopicIds {
  private static final int MAX_REMEMBERED = 100_000;

  private final TopicService topics;
  private final TopicCache cache;
  private final ConcurrentHashMap<Uuid, String> names = new ConcurrentHashMap<>();

  TopicIds(TopicService topics, TopicCache cache) {
    this.topics = topics;
    this.cache = cache;
  }

  /** The topic whose id is {@code id}; empty when there is none (Kafka's UNKNOWN_TOPIC_ID). */
  Optional<Topic> find(Uuid id) {
    if (Uuid.ZERO_UUID.equals(id)) {
      return Optional.empty(); // a producer's id for a topic its metadata does not know
    }
    String name = names.get(id);
    if (name != null) {
      Optional<Topic> known = withId(name, id);
      if (known.isPresent()) {
        return known;
      }
      names.remove(id, name);
    }
    if (names.size() >= MAX_REMEMBERED) {
      names.clear();
    }
    for (Topic t : topics.list()) {
      names.put(KafkaIds.of(t), t.name());
    }
    name = names.get(id);
    return name == null ? Optional.empty() : withId(name, id);
  }

  private Optional<Topic> withId(String name, Uuid id) {
    try {
      Topic topic = cache.require(name);
      return KafkaIds.of(topic).equals(id) ? Optional.of(topic) : Optional.empty();
    } catch (BrokerException e) {
      if (e.error() != BrokerError.TOPIC_NOT_FOUND) {
        throw e;
      }
      return Optional.empty();
    }
  }
}
