/**
 * Security on the Kafka port: SASL/PLAIN ({@link io.rowstream.kafka.auth.SaslHandshakeHandler},
 * {@link io.rowstream.kafka.auth.SaslAuthenticateHandler}), TLS and client certificates
 * ({@link io.rowstream.kafka.auth.TlsTransport}), and the ACL APIs (DescribeAcls, CreateAcls,
 * DeleteAcls) on the one ACL store that HTTP's {@code /v3/clusters/{cid}/acls} routes manage.
 * {@link io.rowstream.kafka.auth.AuthApis} registers the APIs.
 *
 * <p><b>Authentication</b>, as a Kafka SASL_PLAINTEXT / SASL_SSL / SSL listener does it on one
 * port. A client certificate the TLS handshake verified (with {@code ROWSTREAM_TLS_CLIENT_AUTH}
 * want or need) whose subject maps to a principal ({@code security.CertificatePrincipals}, as
 * HTTP maps it) authenticates the connection at once; a SASL exchange on it then replaces that
 * principal, as a Kafka SASL_SSL listener takes the SASL one. Otherwise, with authentication on, only
 * ApiVersions, SaslHandshake and SaslAuthenticate are served until SASL/PLAIN succeeds (anything
 * else closes the connection). PLAIN's user name and password are checked by the same
 * {@code security.Authenticator} as HTTP Basic, with the same throttling; an API key is sent as
 * its key id and secret. A failure is answered SASL_AUTHENTICATION_FAILED with its reason and the
 * connection is closed. PLAIN on a connection without TLS is refused at the handshake unless
 * {@code ROWSTREAM_KAFKA_SASL_PLAIN_WITHOUT_TLS} allows it. SaslHandshake v0 (the client then
 * sends the PLAIN token raw, without Kafka framing: kafka-python 2.0) and v1 with SaslAuthenticate
 * (KIP-152: kafka-clients, librdkafka, kafkajs) are both served. Sessions do not expire
 * ({@code session_lifetime_ms} 0: no re-authentication, KIP-368).
 *
 * <p><b>ACLs</b>: DescribeAcls needs DESCRIBE on the cluster, CreateAcls and DeleteAcls ALTER on
 * it (CLUSTER_AUTHORIZATION_FAILED otherwise); with authentication off they answer
 * SECURITY_DISABLED, as Kafka does without an authorizer.
 *
 * <p>May use what {@code io.rowstream.kafka} may, and {@code tls} (the key and trust material).
 */
package io.rowstream.kafka.auth;
