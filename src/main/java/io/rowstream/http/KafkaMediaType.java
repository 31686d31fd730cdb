package io.rowstream.http;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A REST Proxy media type, {@code application/vnd.kafka[.<embedded format>][.v<version>]+json}: the
 * embedded format is absent in {@code application/vnd.kafka.v2+json} (and in v1's
 * {@code application/vnd.kafka.v1+json}), the version is absent in {@code application/vnd.kafka+json}.
 */
record KafkaMediaType(Optional<String> embeddedFormat, Optional<Integer> version) {
  private static final Pattern SHAPE =
      Pattern.compile("application/vnd\\.kafka(?:\\.([a-z0-9-]+?))??(?:\\.v(\\d{1,3}))?\\+json");

  /** The REST Proxy type a Content-Type or Accept type names; empty when it is not one. */
  static Optional<KafkaMediaType> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = SHAPE.matcher(RequestContentTypes.mediaType(header));
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new KafkaMediaType(
        Optional.ofNullable(m.group(1)), Optional.ofNullable(m.group(2)).map(Integer::parseInt)));
  }

  boolean isVersion(int v) {
    return version.map(n -> n == v).orElse(false);
  }

  /** A version this node reads: 2, or none given; v1 only where a route says so (produce). */
  boolean isV2OrUnversioned() {
    return version.isEmpty() || isVersion(2);
  }
}
