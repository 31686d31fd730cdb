package io.rowstream.topic;

import io.rowstream.error.BrokerException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Topics as recently read, for the paths that run on every request (produce, fetch), so that
 * they do not read the topic row each time. An entry is used for at most {@link #MAX_AGE}; this
 * node's own topic changes drop it at once, and a partition the entry does not know is looked up
 * afresh before it is refused. What a change made through another node can take up to
 * {@code MAX_AGE} to reach is therefore new configs, a higher partition count for keyed and
 * sticky routing, the answer to a topic deleted there, and new cluster-wide config defaults
 * (read with each topic) — about as long as a Kafka broker's metadata takes to propagate, and far
 * shorter than a Kafka producer's own metadata refresh.
 *
 * <p>A stale entry can never make a write land in the wrong place: appends lock the partition
 * row by topic id, and a deleted topic's rows are gone (the append then fails and drops the entry).
 * Topics that do not exist are never cached.
 */
public final class TopicCache {
  public static final Duration MAX_AGE = Duration.ofSeconds(1);

  private record Entry(Topic topic, long readAtNanos) {}

  private final TopicStore store;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  public TopicCache(TopicStore store) {
    this(store, System::nanoTime);
  }

  TopicCache(TopicStore store, LongSupplier nanoTime) {
    this.store = store;
    this.nanoTime = nanoTime;
  }

  /** The topic, at most {@link #MAX_AGE} old, or TOPIC_NOT_FOUND. */
  public Topic require(String name) {
    Entry entry = entries.get(name);
    if (entry != null && nanoTime.getAsLong() - entry.readAtNanos() < MAX_AGE.toNanos()) {
      return entry.topic();
    }
    return read(name);
  }

  /** The topic, known to have {@code partition} (read afresh if the cached one has fewer), or the not-found error. */
  public Topic requirePartition(String name, int partition) {
    Topic topic = covering(require(name), partition);
    if (!topic.hasPartition(partition)) {
      throw BrokerException.partitionNotFound(name, partition);
    }
    return topic;
  }

  /**
   * {@code topic} if it has {@code partition}; else the topic as it is now, which may have been
   * given more partitions since {@code topic} was read (it may still not have it).
   */
  public Topic covering(Topic topic, int partition) {
    return topic.hasPartition(partition) ? topic : read(topic.name());
  }

  /** Forgets the topic: this node changed it, or an append found it gone. */
  public void invalidate(String name) {
    entries.remove(name);
  }

  /** Forgets every topic: this node changed the cluster-wide defaults they resolve against. */
  public void invalidateAll() {
    entries.clear();
  }

  private Topic read(String name) {
    Optional<Topic> topic = store.find(name);
    if (topic.isEmpty()) {
      entries.remove(name);
      throw BrokerException.topicNotFound(name);
    }
    entries.put(name, new Entry(topic.get(), nanoTime.getAsLong()));
    return topic.get();
  }
}
