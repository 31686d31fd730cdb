package io.rowstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The few HTTP calls the load generator makes, over pooled keep-alive HTTP/1.1 connections. */
final class RestClient implements AutoCloseable {
  static final String BINARY = "application/vnd.kafka.binary.v2+json";
  static final String JSON = "application/vnd.kafka.json.v2+json";
  static final String V2 = "application/vnd.kafka.v2+json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Http1Client http;

  RestClient(String baseUrl) {
    this.http = new Http1Client(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
  }

  String post(String path, String contentType, String body) throws IOException {
    return post(path, contentType, body.getBytes(StandardCharsets.UTF_8)).text();
  }

  /** Posts bytes prepared in advance: the produce loops encode each body once, not per request. */
  Http1Client.Response post(String path, String contentType, byte[] body) throws IOException {
    return expectOk("POST", path, http.exchange("POST", path, "Content-Type: " + contentType + "\r\n", body));
  }

  byte[] get(String path, String accept) throws IOException {
    Http1Client.Response response = http.exchange("GET", path, "Accept: " + accept + "\r\n", null);
    if (response.status() != 200) {
      throw new IOException("GET " + path + " answered " + response.status() + ": " + response.text());
    }
    return response.body();
  }

  void delete(String path) throws IOException {
    expectOk("DELETE", path, http.exchange("DELETE", path, "", null));
  }

  /** Creates a topic through v3 (the cluster id is read first). */
  void createTopic(String name, int partitions) throws IOException {
    createTopic(name, partitions, Map.of());
  }

  /** Creates a topic through v3 with topic configs by Kafka name ({@code retention.bytes}, …). */
  void createTopic(String name, int partitions, Map<String, String> configs) throws IOException {
    String body = MAPPER.writeValueAsString(Map.of("topic_name", name, "partitions_count", partitions, "configs",
        configs.entrySet().stream().map(c -> Map.of("name", c.getKey(), "value", c.getValue())).toList()));
    post("/v3/clusters/" + clusterId() + "/topics", "application/json", body);
  }

  /** Deletes a topic through v3. */
  void deleteTopic(String name) throws IOException {
    delete("/v3/clusters/" + clusterId() + "/topics/" + name);
  }

  private String clusterId() throws IOException {
    String text = new String(get("/v3/clusters", "application/json"), StandardCharsets.UTF_8);
    int at = text.indexOf("\"cluster_id\":\"") + 14;
    return text.substring(at, text.indexOf('"', at));
  }

  @Override
  public void close() {
    http.close();
  }

  private static Http1Client.Response expectOk(String method, String path, Http1Client.Response response)
      throws IOException {
    if (response.status() / 100 != 2) {
      throw new IOException(method + " " + path + " answered " + response.status() + ": " + response.text());
    }
    return response;
  }
}
