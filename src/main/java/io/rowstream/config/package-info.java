/**
 * A node's settings: {@link io.rowstream.config.NodeConfig} (database, listener, cluster timings,
 * identity) and {@link io.rowstream.config.OpsConfig} (authentication, TLS, limits and quotas,
 * shutdown), read from {@code ROWSTREAM_*} environment variables and their command-line flags by
 * {@link io.rowstream.config.NodeConfigParser}; a flag wins over the environment. Values only: no
 * database, no I/O beyond reading the settings.
 *
 * <p>May use: no other Rowstream package.
 */
package io.rowstream.config;
