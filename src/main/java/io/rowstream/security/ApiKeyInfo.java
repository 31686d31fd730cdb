package io.rowstream.security;

import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * An API key as listings show it.
 *
 * @param token the bearer token, present only in the answer that created the key
 */
public record ApiKeyInfo(
    String keyId,
    String principal,
    String description,
    Optional<OffsetDateTime> expiresAt,
    OffsetDateTime createdAt,
    Optional<String> token) {}
