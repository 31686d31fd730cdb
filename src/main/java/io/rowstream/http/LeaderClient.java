package io.rowstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.cluster.LeaderView;
import io.rowstream.config.OpsConfig;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.log.AppendResult;
import io.rowstream.log.LogRecord;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.ProducerBatch;
import io.rowstream.log.RecordBatchCodec;
import io.rowstream.produce.Forwarding;
import io.rowstream.tls.TlsStores;
import io.rowstream.topic.Topic;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLParameters;

/**
 * Forwards a partition's records to its leader through {@link ForwardRoutes}. A leader that
 * refuses the connection (or does not accept it within {@link #CONNECT_TIMEOUT}) is unreachable,
 * and the caller appends itself; a leader that took the request but gave no answer may or may not
 * have appended it, which the client learns as a retriable error (50003), as from a Kafka broker
 * that timed out.
 */
public final class LeaderClient implements Forwarding {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final LeaderView view;
  private final HttpClient http;
  private final String nodeSecret;
  private final boolean tls;

  private LeaderClient(LeaderView view, String nodeSecret, HttpClient http, boolean tls) {
    this.view = view;
    this.nodeSecret = nodeSecret;
    this.http = http;
    this.tls = tls;
  }

  /**
   * {@code nodeSecret}: how this node authenticates to the leader ({@code cluster.node_secret}).
   * With TLS configured, leaders are called over HTTPS only (their advertised URLs are https), the
   * client trusting this node's own certificate chain and the trust store ({@link TlsStores#nodeToNode}).
   */
  public static LeaderClient create(LeaderView view, String nodeSecret, OpsConfig.Tls tls) {
    HttpClient.Builder http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT);
    if (tls.enabled()) {
      SSLParameters parameters = new SSLParameters();
      parameters.setProtocols(TlsStores.PROTOCOLS);
      http.sslContext(TlsStores.nodeToNode(tls)).sslParameters(parameters);
    }
    return new LeaderClient(view, nodeSecret, http.build(), tls.enabled());
  }

  @Override
  public Optional<String> leaderElsewhere(PartitionKey key) {
    return view.leaderElsewhere(key);
  }

  @Override
  public AppendResult forward(
      String leaderUrl, Topic topic, int partition, List<LogRecord> records, ProducerBatch producer)
      throws LeaderUnreachable {
    if (tls && !leaderUrl.startsWith("https:")) {
      // Never the node secret in clear text: a leader advertised without TLS is one this node does
      // not call.
      throw new LeaderUnreachable(
          "leader at " + leaderUrl + " does not advertise https while this node uses TLS", null);
    }
    ByteBuffer batch = RecordBatchCodec.encode(0, records, false, 0);
    String path = ForwardRoutes.PATH
        .replace("{t}", URLEncoder.encode(topic.name(), StandardCharsets.UTF_8))
        .replace("{p}", Integer.toString(partition));
    HttpRequest request = HttpRequest.newBuilder(URI.create(stripSlash(leaderUrl) + path + "?"
            + ForwardRoutes.TOPIC_ID + "=" + topic.id() + ProducerParams.query(producer)))
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/octet-stream")
        .header("Authorization", "Bearer " + nodeSecret)
        .POST(HttpRequest.BodyPublishers.ofByteArray(
            batch.array(), batch.arrayOffset() + batch.position(), batch.remaining()))
        .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new LeaderUnreachable("leader at " + leaderUrl + " unreachable: " + e, e);
    } catch (IOException e) {
      throw new BrokerException(
          BrokerError.RETRIABLE,
          "The partition's leader at " + leaderUrl
              + " did not answer; the records may or may not have been appended.",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerException(
          BrokerError.RETRIABLE, "Interrupted while forwarding to the leader.");
    }
    JsonNode body = Json.parse(response.body());
    if (response.statusCode() == HttpError.TOO_LARGE.status() && !body.has("error")) {
      // The leader's own limits (ROWSTREAM_MAX_*), when they are tighter than this node's: every
      // 413 is 41301.
      throw new HttpStatusException(HttpError.TOO_LARGE, body.path("message").asText());
    }
    if (response.statusCode() != 200) {
      throw new BrokerException(
          errorOf(body), body.path("message").asText("leader answered " + response.statusCode()));
    }
    long base = body.get("base_offset").asLong();
    return new AppendResult(
        partition, base, base + records.size() - 1, body.get("append_time_ms").asLong());
  }

  private static BrokerError errorOf(JsonNode body) {
    try {
      return BrokerError.valueOf(body.path("error").asText());
    } catch (IllegalArgumentException e) {
      return BrokerError.INTERNAL;
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
