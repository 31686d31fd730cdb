package io.rowstream.log;

/** A partition named as clients name it: topic name and partition number. */
public record TopicPartition(String topic, int partition) {

  @Override
  public String toString() {
    return topic + "-" + partition;
  }
}
