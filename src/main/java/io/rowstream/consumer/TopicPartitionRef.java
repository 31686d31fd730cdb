package io.rowstream.consumer;

/** A partition named as clients name it: topic name and partition number. */
public record TopicPartitionRef(String topic, int partition) {}
