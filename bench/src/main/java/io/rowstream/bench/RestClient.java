package io.rowstream.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few HTTP calls the load generator makes, over one shared HTTP/1.1 client. */
final class RestClient {
  static final String BINARY = "application/vnd.kafka.binary.v2+json";
  static final String JSON = "application/vnd.kafka.json.v2+json";
  static final String V2 = "application/vnd.kafka.v2+json";

  private final String baseUrl;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  RestClient(String baseUrl) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  String post(String path, String contentType, String body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return expectOk(client.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  byte[] get(String path, String accept) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
        .header("Accept", accept).GET().build();
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + new String(response.body()));
    }
    return response.body();
  }

  void delete(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
        .DELETE().build();
    expectOk(client.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  /** Creates a topic through v3 (the cluster id is read first). */
  void createTopic(String name, int partitions) throws IOException, InterruptedException {
    byte[] clusters = get("/v3/clusters", "application/json");
    String text = new String(clusters);
    int at = text.indexOf("\"cluster_id\":\"") + 14;
    String clusterId = text.substring(at, text.indexOf('"', at));
    post("/v3/clusters/" + clusterId + "/topics", "application/json",
        "{\"topic_name\":\"" + name + "\",\"partitions_count\":" + partitions + "}");
  }

  private static String expectOk(HttpResponse<String> response) throws IOException {
    if (response.statusCode() / 100 != 2) {
      throw new IOException(response.request().method() + " " + response.request().uri().getPath() + " answered "
          + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
