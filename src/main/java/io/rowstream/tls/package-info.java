/**
 * TLS material shared by the doors: a node's key and certificate chain (PEM files or a PKCS12 key
 * store), the trust store that client certificates are verified against, the protocols spoken
 * (TLS 1.2 and 1.3), the context a listener serves with and the one a node calls another node
 * with. The HTTPS listener and the Kafka listener read the same {@code ROWSTREAM_TLS_*} settings
 * through {@link io.rowstream.tls.TlsStores}.
 *
 * <p>May use: {@code config}, {@code pem}.
 */
package io.rowstream.tls;
