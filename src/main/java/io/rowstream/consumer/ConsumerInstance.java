package io.rowstream.consumer;

/** A consumer instance: its group, id and settings. */
public record ConsumerInstance(String group, String id, ConsumerInstanceConfig config) {}
