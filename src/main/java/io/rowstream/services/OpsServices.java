package io.rowstream.services;

import io.rowstream.metrics.BrokerMetrics;
import io.rowstream.security.Security;

/** What the HTTP edge needs beyond the broker's capabilities: who may call and what it may do, and the meters. */
public record OpsServices(Security security, BrokerMetrics metrics) {}
