/**
 * The node's wiring, and for now the types every package shares. {@link io.rowstream.Main} reads
 * the configuration and starts a {@link io.rowstream.RowstreamNode}, which opens the database,
 * applies the schema, builds every capability's services and stores, starts the background loops
 * and the HTTP door, and stops them in reverse order.
 *
 * <p>Shared types held here today: the broker's errors ({@link io.rowstream.BrokerError}, the one
 * table of errors with their Kafka error and REST answers; {@link io.rowstream.BrokerException},
 * which carries one; {@link io.rowstream.RestError}; {@link io.rowstream.BrokerFailures}), the
 * services a door is handed ({@link io.rowstream.BrokerServices}, {@link io.rowstream.OpsServices})
 * and {@link io.rowstream.LogText} (client values made safe for a log line).
 *
 * <p>May use: every package (it wires them). Used by: every package but {@code cleaner},
 * {@code config} and {@code metrics}, for the shared types above; that is the package graph's one
 * loop, which moving the shared types into packages of their own removes.
 */
package io.rowstream;
