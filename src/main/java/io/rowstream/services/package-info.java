/**
 * What a door is handed: {@link io.rowstream.services.BrokerServices}, the node's identity and the
 * broker's services (produce, fetch, offsets by time, topics and their admin, consumers, groups,
 * cluster metadata and health), and {@link io.rowstream.services.OpsServices} (security, meters).
 * Services only: a door reaches no store and no database through them. Each service package's
 * notes list the calls a door uses.
 *
 * <p>May use: the service packages ({@code cluster}, {@code consumer}, {@code group}, {@code log},
 * {@code produce}, {@code topic}, {@code security}, {@code metrics}) and {@code error}. Used by the
 * doors ({@code http}) and the wiring (the root package), which builds them.
 */
package io.rowstream.services;
