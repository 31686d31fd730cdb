package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every link resolves: on a small cluster (two nodes, a topic of three partitions, a consumer group
 * with a member that committed an offset, an ACL) the test follows every {@code self} and
 * {@code related} URL of every v3 GET response, from {@code /v3/clusters} on, and each one answers
 * 200, with no exception: a partition's {@code reassignment} answers 200 also while nothing is
 * being reassigned there, and an assignment carries a {@code lag} link only for a partition in which
 * the group has committed an offset (the member is assigned three partitions and committed in one).
 */
class V3LinksResolveTest {
  private static final int MAX_LINKS = 2_000;

  static TestBroker broker;
  static TestHttp http;
  static String base;
  static String memberBaseUri;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("links_v3");
    broker.startNode();
    http = broker.http(0);
    base = "/v3/clusters/" + http.clusterId();
    http.createTopic("walked", 3);
    Await.until(
        "both nodes lead partitions of walked",
        Duration.ofSeconds(20),
        () -> broker.queryLong(
                    "select count(distinct leader_node_id) from topic_partition p join topic t using (topic_id) "
                        + "where t.name = 'walked'")
                == 2
            && broker.queryLong("select count(*) from replica_state r join topic t "
                    + "using (topic_id) where t.name = 'walked'")
                == 6);
    Response created = http.post(
        "/consumers/walkers",
        TestHttp.V2,
        "{\"name\":\"w1\",\"format\":\"binary\",\"auto.offset.reset\":\"earliest\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    memberBaseUri = created.json().get("base_uri").asText();
    String member = path(memberBaseUri);
    assertThat(http.post(member + "/subscription", TestHttp.V2, "{\"topics\":[\"walked\"]}")
            .status())
        .isEqualTo(204);
    assertThat(http.post(
                member + "/offsets",
                TestHttp.V2,
                "{\"offsets\":[{\"topic\":\"walked\",\"partition\":0,\"offset\":0}]}")
            .status())
        .isEqualTo(200);
    Response acl = http.post(
        base + "/acls",
        "application/json",
        TestHttp.json(Map.of(
            "resource_type",
            "TOPIC",
            "resource_name",
            "walked",
            "pattern_type",
            "LITERAL",
            "principal",
            "User:alice",
            "operation",
            "READ",
            "permission",
            "ALLOW")));
    assertThat(acl.status()).as(acl.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static String path(String url) {
    assertThat(url).as("links name the node's own address").startsWith(http.baseUrl());
    return url.substring(http.baseUrl().length());
  }

  @Test
  void every_self_and_related_link_of_every_v3_response_answers_200() {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> queue = new ArrayDeque<>(List.of(http.baseUrl() + "/v3/clusters"));
    Map<String, String> broken = new LinkedHashMap<>();
    while (!queue.isEmpty() && seen.size() < MAX_LINKS) {
      String url = queue.poll();
      if (!seen.add(url)) {
        continue;
      }
      Response r = http.get(path(url));
      if (r.status() != 200) {
        broken.put(url, r.status() + " " + r.body());
        continue;
      }
      links(r.json(), queue);
    }
    assertThat(broken).as("links that do not answer 200").isEmpty();
    assertThat(seen).as("the walk ended by itself").hasSizeLessThan(MAX_LINKS);
    assertThat(seen)
        .anyMatch(u -> u.matches(".*/topics/walked/partitions/0/replicas/\\d+"))
        .anyMatch(u -> u.endsWith("/brokers/1/partition-replicas"))
        .anyMatch(u -> u.endsWith("/brokers/2/configs"))
        .anyMatch(u -> u.matches(
            ".*/consumer-groups/walkers/consumers/[^/]+/assignments/walked/partitions/\\d"))
        .anyMatch(u -> u.endsWith("/topics/-/partitions/-/reassignment"))
        .anyMatch(u -> u.endsWith("/topics/walked/partitions/2/reassignment"))
        .anyMatch(u -> u.endsWith("/consumer-groups/walkers/lags/walked/partitions/0"))
        .noneMatch(u -> u.matches(".*/consumer-groups/walkers/lags/walked/partitions/[12]"));
  }

  @Test
  void a_v2_consumer_base_uri_leads_to_its_instance() {
    assertThat(http.get(path(memberBaseUri) + "/subscription").status()).isEqualTo(200);
    assertThat(http.get(path(memberBaseUri) + "/assignments").status()).isEqualTo(200);
  }

  /** Every {@code self} and {@code related} URL anywhere in {@code node}. */
  private static void links(JsonNode node, Deque<String> into) {
    node.fields().forEachRemaining(e -> {
      if ((e.getKey().equals("self") || e.getKey().equals("related"))
          && e.getValue().isTextual()) {
        into.add(e.getValue().asText());
      } else {
        links(e.getValue(), into);
      }
    });
    if (node.isArray()) {
      node.forEach(n -> links(n, into));
    }
  }
}
