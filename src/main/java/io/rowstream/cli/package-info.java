/**
 * The {@code rowstream} command line ({@code bin/rowstream}), built with picocli: a client of the
 * node's public HTTP API, like {@code rpk} is of Redpanda's. {@link io.rowstream.cli.RowstreamCli}
 * is the root command; each subcommand (topics, produce, consume, groups, acls, users, api-keys,
 * cluster, profile) is a class that calls {@code Api} and prints through {@code Printer}.
 *
 * <p>Decisions:
 *
 * <ul>
 *   <li>HTTP only: no service, store or database of the node (ArchitectureTest checks it), so the
 *       command line works through a load balancer and with authentication on, and a command that
 *       needs something new adds it to the public API (group deletion and offset resets did).
 *   <li>stdout carries data only (a table, or JSON with {@code --output json}); messages, progress
 *       and errors go to stderr. An error prints the server's message and {@code error_code}; the
 *       exit code tells its kind ({@link io.rowstream.cli.ExitCodes}).
 *   <li>{@code consume} reads through a REST Proxy consumer instance: without {@code --group} in a
 *       throwaway group it deletes at the end (as kafka-console-consumer uses a random group), with
 *       {@code --group} as a member that commits what it printed. Ctrl-C deletes the instance, so no
 *       member outlives the command and blocks an offset reset.
 *   <li>Connection settings: flags, then {@code ROWSTREAM_*} variables, then a profile file (an
 *       INI-like {@code ~/.config/rowstream/config}, {@code rpk profile}'s idea without YAML).
 * </ul>
 *
 * <p>May use: java, picocli, Jackson, {@code pem}. Used by: {@code io.rowstream.Main} only.
 */
package io.rowstream.cli;
