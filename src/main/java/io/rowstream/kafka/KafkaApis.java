package io.rowstream.kafka;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * The APIs this node answers, each with the versions it serves and its handler: what ApiVersions
 * advertises and what the dispatcher accepts are the same table, so nothing is advertised that is
 * not implemented. A request for any other API or version closes the connection (Kafka's
 * {@code SocketServer} does the same), except ApiVersions, which is answered at v0 with
 * UNSUPPORTED_VERSION and its range (KIP-511).
 */
public final class KafkaApis {

  /** An API's served versions and its handler. */
  record Served<R extends AbstractRequest>(
      ApiKeys api,
      short advertisedMin,
      short min,
      short max,
      Class<R> type,
      ApiHandler<R> handler) {

    boolean accepts(short version) {
      return version >= min && version <= max;
    }
  }

  private final Map<ApiKeys, Served<?>> served = new EnumMap<>(ApiKeys.class);

  /**
   * Serves {@code api} at versions {@code min}..{@code max}, which must lie within what the pinned
   * kafka-clients can parse. Fails when the API is registered twice.
   */
  public <R extends AbstractRequest> KafkaApis serve(
      ApiKeys api, int min, int max, Class<R> type, ApiHandler<R> handler) {
    return serve(api, min, min, max, type, handler);
  }

  /**
   * As {@link #serve(ApiKeys, int, int, Class, ApiHandler)}, advertising {@code advertisedMin}
   * though only {@code min} and up are parsed: Kafka 4 advertises Produce from v0 (KAFKA-18659)
   * because librdkafka enables compression only when Produce v0 is in the range, yet refuses v0..2.
   */
  public <R extends AbstractRequest> KafkaApis serve(
      ApiKeys api, int advertisedMin, int min, int max, Class<R> type, ApiHandler<R> handler) {
    if (min < api.oldestVersion() || max > api.latestVersion(true) || min > max) {
      throw new IllegalArgumentException(api + " versions " + min + ".." + max
          + " outside what kafka-clients parses (" + api.oldestVersion() + ".."
          + api.latestVersion(true) + ")");
    }
    if (served.putIfAbsent(
            api, new Served<>(api, (short) advertisedMin, (short) min, (short) max, type, handler))
        != null) {
      throw new IllegalStateException(api + " registered twice");
    }
    return this;
  }

  /** The handler of {@code api} when it serves {@code version}. */
  Optional<Served<?>> lookup(ApiKeys api, short version) {
    Served<?> s = served.get(api);
    return s != null && s.accepts(version) ? Optional.of(s) : Optional.empty();
  }

  /** What ApiVersions advertises: every served API with its range. */
  public ApiVersionCollection advertised() {
    ApiVersionCollection out = new ApiVersionCollection();
    for (Served<?> s : served.values()) {
      out.add(new ApiVersion()
          .setApiKey(s.api().id)
          .setMinVersion(s.advertisedMin())
          .setMaxVersion(s.max()));
    }
    return out;
  }

  /** The served range of {@code api}, for an UNSUPPORTED_VERSION answer. */
  Optional<ApiVersion> range(ApiKeys api) {
    return Optional.ofNullable(served.get(api))
        .map(s -> new ApiVersion()
            .setApiKey(api.id)
            .setMinVersion(s.advertisedMin())
            .setMaxVersion(s.max()));
  }
}
