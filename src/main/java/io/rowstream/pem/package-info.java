/**
 * Reading X.509 certificates from PEM files into a trust store, with the JDK's classes alone: the
 * node's TLS ({@code tls}) and the command line ({@code cli}, which may use nothing of the node
 * but this) both read trusted certificates this way.
 *
 * <p>May use: nothing of Rowstream.
 */
package io.rowstream.pem;
