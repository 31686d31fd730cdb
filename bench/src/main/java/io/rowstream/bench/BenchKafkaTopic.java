package io.rowstream.bench;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * The side-by-side run's topic on one broker: created the same way on each, with kafka-clients'
 * {@code Admin.createTopics} (replication factor 1, the broker's default configs), and deleted the
 * same way. A Rowstream node whose Kafka door does not serve CreateTopics yet gets it over its
 * REST API instead, when its URL is known; {@link #how} says which.
 */
final class BenchKafkaTopic implements AutoCloseable {
  private final Admin admin;
  private final String name;
  private final String how;
  private final Optional<String> restUrl;

  private BenchKafkaTopic(Admin admin, String name, String how, Optional<String> restUrl) {
    this.admin = admin;
    this.name = name;
    this.how = how;
    this.restUrl = restUrl;
  }

  /** Creates {@code name} with {@code partitions} partitions on the broker at {@code bootstrap}. */
  static BenchKafkaTopic create(String bootstrap, String name, int partitions, Optional<String> restUrl)
      throws Exception {
    Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    try {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
      return new BenchKafkaTopic(admin, name, "Admin.createTopics", Optional.empty());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof UnsupportedVersionException) || restUrl.isEmpty()) {
        admin.close();
        throw e;
      }
      try (RestClient rest = new RestClient(restUrl.get())) {
        rest.createTopic(name, partitions);
      }
      return new BenchKafkaTopic(admin, name, "REST v3 (the Kafka door does not serve CreateTopics)", restUrl);
    } catch (RuntimeException | InterruptedException e) {
      admin.close();
      throw e;
    }
  }

  String name() {
    return name;
  }

  /** How the topic was created, for the report. */
  String how() {
    return how;
  }

  /** Deletes the topic the way it was created. */
  @Override
  public void close() throws Exception {
    try (admin) {
      if (restUrl.isPresent()) {
        try (RestClient rest = new RestClient(restUrl.get())) {
          rest.deleteTopic(name);
        }
      } else {
        admin.deleteTopics(List.of(name)).all().get();
      }
    }
  }
}
