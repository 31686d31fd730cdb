/**
 * What log lines need from every package: {@link io.rowstream.logging.LogText}, a client's value
 * (a name, an id, a principal, a message) with its control characters escaped, so that it cannot
 * forge log lines.
 *
 * <p>May use: no other Rowstream package.
 */
package io.rowstream.logging;
