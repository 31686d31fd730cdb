package io.rowstream.group;

/**
 * One protocol a classic member supports (for Kafka consumers, an assignor such as range or
 * cooperative-sticky), with the member's metadata for it (for consumers, its ConsumerProtocol
 * subscription).
 */
public record ClassicProtocol(String name, byte[] metadata) {}
