/**
 * The node's wiring. {@link io.rowstream.Main} runs a node (no arguments, node flags, or {@code
 * serve}) or hands any other command line to {@code cli.RowstreamCli}; for a node it reads the
 * configuration and starts a
 * {@link io.rowstream.RowstreamNode}, which opens the database, applies the schema, builds every
 * capability's services and stores, starts the background loops and the HTTP door, and stops them
 * in reverse order.
 *
 * <p>May use: every package (it wires them). Used by: no package; the shared types live in
 * {@code error}, {@code logging} and {@code services}.
 */
package io.rowstream;
