package io.rowstream.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real HTTP client against one node, with JSON helpers. */
public final class TestHttp {
  public static final String BINARY = "application/vnd.kafka.binary.v2+json";
  public static final String JSON = "application/vnd.kafka.json.v2+json";
  public static final String V2 = "application/vnd.kafka.v2+json";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient CLIENT = clientBuilder().build();

  private final String baseUrl;
  private final String authorization;
  private final HttpClient client;

  public TestHttp(String baseUrl) {
    this(baseUrl, null, CLIENT);
  }

  private TestHttp(String baseUrl, String authorization, HttpClient client) {
    this.baseUrl = baseUrl;
    this.authorization = authorization;
    this.client = client;
  }

  /** The same node, every request carrying this {@code Authorization} header. */
  public TestHttp withAuthorization(String value) {
    return new TestHttp(baseUrl, value, client);
  }

  /**
   * The same node, reached from another local address (any of 127.0.0.0/8), so that the node sees
   * a client address of its own.
   */
  public TestHttp from(String localAddress) {
    try {
      return new TestHttp(
          baseUrl,
          authorization,
          clientBuilder()
              .localAddress(java.net.InetAddress.getByName(localAddress))
              .build());
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The same node over HTTPS, trusting (and showing) what {@code tls} does. */
  public TestHttp over(javax.net.ssl.SSLContext tls) {
    return new TestHttp(baseUrl, authorization, clientBuilder().sslContext(tls).build());
  }

  private static HttpClient.Builder clientBuilder() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5));
  }

  /** The same node, every request signed in with HTTP Basic. */
  public TestHttp as(String user, String password) {
    return withAuthorization("Basic "
        + java.util.Base64.getEncoder()
            .encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** A response: status, raw body, headers. */
  public record Response(int status, String body, java.net.http.HttpHeaders headers) {
    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (status " + status + "): " + body, e);
      }
    }

    /** This response, which must have the {@code expected} status (else the test fails, showing the body). */
    public Response expectStatus(int expected) {
      if (status != expected) {
        throw new AssertionError("expected status " + expected + ", got " + status + ": " + body);
      }
      return this;
    }

    public int errorCode() {
      return json().path("error_code").asInt();
    }

    public String contentType() {
      return headers.firstValue("Content-Type").orElse("");
    }
  }

  /** Fails unless {@code r} is the JSON error {@code status} / {@code errorCode} with a message. */
  public static void assertError(Response r, int status, int errorCode) {
    if (r.status() != status
        || r.errorCode() != errorCode
        || r.json().path("message").asText().isBlank()) {
      throw new AssertionError("expected " + status + " / " + errorCode + " with a message, got "
          + r.status() + ": " + r.body());
    }
  }

  public Response get(String path, String... headers) {
    return send(builder(path, headers).GET());
  }

  public Response delete(String path) {
    return send(builder(path).DELETE());
  }

  public Response post(String path, String contentType, String body, String... headers) {
    HttpRequest.Builder b = builder(path, headers).POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b);
  }

  /** Any method, with a body of raw bytes (which need not be UTF-8). */
  public Response bytes(String method, String path, String contentType, byte[] body) {
    return send(withBytes(method, path, contentType, body));
  }

  /**
   * As {@link #bytes}, announcing the body with {@code Expect: 100-continue} (as curl does for
   * large bodies): a server that refuses the request by its headers (a body over its size limit)
   * answers before any of the body is sent. Sent at once, the answer can be lost: the server answers
   * and closes the connection while the body still arrives, and the client reports the connection
   * closed with no answer.
   */
  public Response bytesAfterContinue(String method, String path, String contentType, byte[] body) {
    return send(withBytes(method, path, contentType, body).expectContinue(true));
  }

  private HttpRequest.Builder withBytes(
      String method, String path, String contentType, byte[] body) {
    HttpRequest.Builder b =
        builder(path).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return b;
  }

  public Response method(String method, String path, String contentType, String body) {
    HttpRequest.Builder b = builder(path)
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b);
  }

  /** The value of the node's Prometheus sample {@code name} (the first, whatever its labels). */
  public double metric(String name) {
    return sample(name, "(?:\\{[^}]*})?", name);
  }

  /** A labelled metric's value from {@code GET /metrics}: the series whose {@code label} is {@code value}. */
  public double metric(String name, String label, String value) {
    return sample(
        name,
        "\\{[^}]*" + java.util.regex.Pattern.quote(label + "=\"" + value + "\"") + "[^}]*}",
        name + " with " + label + "=" + value);
  }

  /** The first sample of {@code name} whose labels match the pattern {@code labels}. */
  private double sample(String name, String labels, String described) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
            "(?m)^" + java.util.regex.Pattern.quote(name) + labels + " (\\S+)$")
        .matcher(get("/metrics").body());
    if (!m.find()) {
      throw new AssertionError("no " + described + " in /metrics");
    }
    return Double.parseDouble(m.group(1));
  }

  /** The id of the cluster this node serves, from {@code GET /v3/clusters}. */
  public String clusterId() {
    return get("/v3/clusters").json().get("data").get(0).get("cluster_id").asText();
  }

  /**
   * Creates a user over v3 (this client must be allowed to) and returns a client of the same node
   * signed in as that user.
   */
  public TestHttp createUser(String name, String password) {
    post(
            "/v3/clusters/" + clusterId() + "/users",
            "application/json",
            json(java.util.Map.of("name", name, "password", password)))
        .expectStatus(201);
    return new TestHttp(baseUrl, null, client).as(name, password);
  }

  /** Adds the ACL binding: {@code principal} may {@code operation} the LITERAL resource, from any host. */
  public void allow(String principal, String operation, String resourceType, String resourceName) {
    post(
            "/v3/clusters/" + clusterId() + "/acls",
            "application/json",
            json(java.util.Map.of(
                "resource_type",
                resourceType,
                "resource_name",
                resourceName,
                "pattern_type",
                "LITERAL",
                "principal",
                principal,
                "host",
                "*",
                "operation",
                operation,
                "permission",
                "ALLOW")))
        .expectStatus(201);
  }

  /**
   * Sets a cluster-wide default over v3 ({@code PUT /v3/clusters/{cid}/broker-configs/{name}});
   * anything but 204 fails the test.
   */
  public void setClusterDefault(String name, String value) {
    method(
            "PUT",
            "/v3/clusters/" + clusterId() + "/broker-configs/" + name,
            "application/json",
            json(java.util.Map.of("value", value)))
        .expectStatus(204);
  }

  /** Restores a cluster-wide default to the built-in one over v3; anything but 204 fails the test. */
  public void resetClusterDefault(String name) {
    delete("/v3/clusters/" + clusterId() + "/broker-configs/" + name).expectStatus(204);
  }

  /** Creates a topic over v3 ({@code POST /v3/clusters/{cid}/topics}); anything but 201 fails the test. */
  public JsonNode createTopic(String name, int partitions) {
    return createTopic(name, partitions, java.util.Map.of());
  }

  /** Creates a topic over v3 with topic configs (Kafka's names); anything but 201 fails the test. */
  public JsonNode createTopic(String name, int partitions, java.util.Map<String, String> configs) {
    Response r = post(
        "/v3/clusters/" + clusterId() + "/topics",
        "application/json",
        json(java.util.Map.of(
            "topic_name",
            name,
            "partitions_count",
            partitions,
            "configs",
            configs.entrySet().stream()
                .map(c -> java.util.Map.of("name", c.getKey(), "value", c.getValue()))
                .toList())));
    if (r.status() != 201) {
      throw new AssertionError(
          "creating topic " + name + " answered " + r.status() + ": " + r.body());
    }
    return r.json();
  }

  public static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpRequest.Builder builder(String path, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  private Response send(HttpRequest.Builder builder) {
    try {
      HttpResponse<String> r = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
