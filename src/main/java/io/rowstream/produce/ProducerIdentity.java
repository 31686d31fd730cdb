package io.rowstream.produce;

/** A producer id and the epoch to send with it. */
public record ProducerIdentity(long producerId, short producerEpoch) {}
