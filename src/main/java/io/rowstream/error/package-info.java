/**
 * The broker's errors, shared by every package and every door. {@link io.rowstream.error.BrokerError}
 * is the one table of them: for each, the Kafka protocol error it maps to and the REST answers
 * ({@link io.rowstream.error.RestError}: status and {@code error_code}, v2 and v3 where they differ).
 * A service refuses by throwing a {@link io.rowstream.error.BrokerException} that carries one; a
 * failure of the layers below the services (the database's) becomes one through
 * {@link io.rowstream.error.BrokerFailures}. Each door renders them once (HTTP:
 * {@code http.ErrorResponses}).
 *
 * <p>May use: no other Rowstream package (kafka-clients' {@code Errors} only).
 */
package io.rowstream.error;
