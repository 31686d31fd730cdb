package io.rowstream.kafka.groups;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestHttp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An HTTP consumer instance (REST Proxy v2) subscribed in a group, reading on a thread of its own.
 * With auto-commit, what a read returned is committed by the next read or before a rebalance takes
 * the partition, so every record returned counts as read.
 */
final class HttpGroupReader implements AutoCloseable {
  private final TestHttp http;
  private final String instance;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile Throwable failure;

  HttpGroupReader(
      TestHttp http,
      String group,
      String name,
      String strategy,
      String topic,
      Consumer<CommittingMember.Read> onRead) {
    this.http = http;
    this.instance = "/consumers/" + group + "/instances/" + name;
    http.post(
            "/consumers/" + group,
            TestHttp.V2,
            TestHttp.json(Map.of(
                "name",
                name,
                "format",
                "binary",
                "auto.offset.reset",
                "earliest",
                "partition.assignment.strategy",
                strategy)))
        .expectStatus(200);
    http.post(
            instance + "/subscription",
            TestHttp.V2,
            TestHttp.json(Map.of("topics", List.of(topic))))
        .expectStatus(204);
    this.thread = Thread.ofPlatform().name("http-" + name).start(() -> {
      try {
        while (running.get()) {
          JsonNode records = http.get(instance + "/records?timeout=200", "Accept", TestHttp.BINARY)
              .expectStatus(200)
              .json();
          records.forEach(r -> onRead.accept(new CommittingMember.Read(
              r.get("topic").asText(),
              r.get("partition").asInt(),
              r.get("offset").asLong())));
        }
      } catch (Throwable e) {
        failure = e;
      }
    });
  }

  /** The partitions the instance holds now. */
  List<Integer> assignment() {
    JsonNode a = http.get(instance + "/assignments", "Accept", TestHttp.V2)
        .expectStatus(200)
        .json()
        .get("partitions");
    return java.util.stream.StreamSupport.stream(a.spliterator(), false)
        .map(p -> p.get("partition").asInt())
        .toList();
  }

  Throwable failure() {
    return failure;
  }

  /** Stops reading; then deletes the instance (which commits its positions and leaves the group). */
  @Override
  public void close() {
    running.set(false);
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.delete(instance);
  }
}
