package io.rowstream.cluster;

import java.time.OffsetDateTime;

/** A registered broker node and whether its lease is current. */
public record BrokerInfo(
    int nodeId,
    String advertisedUrl,
    OffsetDateTime startedAt,
    OffsetDateTime leaseExpiresAt,
    boolean live) {}
