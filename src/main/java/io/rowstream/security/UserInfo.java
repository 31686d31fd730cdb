package io.rowstream.security;

import java.time.OffsetDateTime;

/** A Basic user as listings show it: never its password or hash. */
public record UserInfo(String name, OffsetDateTime createdAt) {}
