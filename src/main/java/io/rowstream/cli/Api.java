package io.rowstream.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The node's public HTTP API as the command line calls it: JSON in, JSON out, an error answer
 * turned into an {@link ApiException} with the server's {@code error_code}. Nothing else: the
 * command line knows the node only through this API, so it works through a load balancer and with
 * authentication on.
 */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String V2 = "application/vnd.kafka.v2+json";
  static final String V2_BINARY = "application/vnd.kafka.binary.v2+json";
  static final String V2_JSON = "application/vnd.kafka.json.v2+json";
  static final String V3 = "application/json";
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Connection connection;
  private final HttpClient client;
  private String clusterId;

  Api(Connection connection) {
    this.connection = connection;
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    connection.caCert().ifPresent(pem -> client.sslContext(TrustedCertificates.context(pem)));
    this.client = client.build();
  }

  String url() {
    return connection.url();
  }

  /** {@code /v3/clusters/<the cluster's id><rest>}. */
  String v3(String rest) {
    if (clusterId == null) {
      clusterId = get("/v3/clusters").path("data").path(0).path("cluster_id").asText();
    }
    return "/v3/clusters/" + clusterId + rest;
  }

  static String encode(String pathSegment) {
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  JsonNode get(String path) {
    return send("GET", path, null, null, V3, TIMEOUT);
  }

  JsonNode get(String path, String accept, Duration timeout) {
    return send("GET", path, null, null, accept, timeout);
  }

  JsonNode post(String path, String contentType, Object body) {
    return send("POST", path, contentType, body, contentType.equals(V3) ? V3 : V2, TIMEOUT);
  }

  JsonNode delete(String path) {
    return send("DELETE", path, null, null, V3, TIMEOUT);
  }

  JsonNode delete(String path, String accept) {
    return send("DELETE", path, null, null, accept, TIMEOUT);
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** The answer's JSON, or null when it has no body (204). */
  private JsonNode send(
      String method,
      String path,
      String contentType,
      Object body,
      String accept,
      Duration timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(connection.url() + path))
        .timeout(timeout)
        .header("Accept", accept);
    connection.authorization().ifPresent(a -> request.header("Authorization", a));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", contentType);
      request.method(method, HttpRequest.BodyPublishers.ofString(text(body)));
    }
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UnreachableException("cannot reach " + connection.url() + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted while calling " + connection.url(), e);
    }
    String text = response.body();
    if (response.statusCode() >= 400) {
      throw refusal(response.statusCode(), text);
    }
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ApiException(response.statusCode(), 0, "the server answered no JSON: " + text);
    }
  }

  private static ApiException refusal(int status, String text) {
    try {
      JsonNode error = JSON.readTree(text);
      if (error != null && error.has("error_code")) {
        return new ApiException(
            status, error.get("error_code").asInt(), error.path("message").asText(""));
      }
    } catch (JsonProcessingException e) {
      // not the REST Proxy's error JSON: report the status and the text
    }
    return new ApiException(status, status, text == null ? "" : text.strip());
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    String described =
        message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    return e instanceof javax.net.ssl.SSLHandshakeException
        ? described + " (a server whose certificate the JDK does not trust: give the certificate"
            + " that signed it, or its own, with --ca-cert or ROWSTREAM_CA_CERT)"
        : described;
  }

  private static String text(Object body) {
    if (body instanceof String s) {
      return s;
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a request body that is no JSON indicates a bug", e);
    }
  }
}
