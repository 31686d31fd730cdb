package io.rowstream.group;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * v3 consumer-group inspection over HTTP, and its agreement with the operator views that psql
 * users read ({@code consumer_lag_overview}, {@code group_member_overview}).
 */
class GroupInspectionV3Test {
  @RegisterExtension
  static final GroupCalls calls = GroupCalls.perClass("group_v3", 1_000);

  final TestBroker broker = calls.broker();
  final TestHttp http = broker.http();

  private String groups() {
    return "/v3/clusters/" + http.clusterId() + "/consumer-groups";
  }

  /** Two members over three partitions of five records; one commits 2 of partition 0, the other 4 of its own. */
  /** {@code topic-partition} of each {@code {"topic_name","partition_id"}} of an array. */
  private static List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(
        p -> out.add(p.get("topic_name").asText() + "-" + p.get("partition_id").asInt()));
    return out;
  }

  private void laggingGroup(String group, String topic) {
    calls.filledTopic(topic, 3, "l", 5);
    String a = calls.joined(http, group, "a", Map.of("auto.commit.enable", "false"), topic);
    String b = calls.joined(http, group, "b", Map.of("auto.commit.enable", "false"), topic);
    int aFirst = calls.assignment(http, a).getFirst().partition();
    int bFirst = calls.assignment(http, b).getFirst().partition();
    assertThat(http.post(a + "/offsets", TestHttp.V2, GroupCalls.offsetBody(topic, aFirst, 1, ""))
            .status())
        .isEqualTo(200);
    assertThat(http.post(b + "/offsets", TestHttp.V2, GroupCalls.offsetBody(topic, bFirst, 3, ""))
            .status())
        .isEqualTo(200);
  }

  @Test
  void the_lag_endpoints_agree_with_the_lag_view() throws SQLException {
    laggingGroup("g-lag", "lagged");
    JsonNode lags = http.get(groups() + "/g-lag/lags").json();
    assertThat(lags.get("kind").asText()).isEqualTo("KafkaConsumerLagList");

    List<String> fromHttp = new ArrayList<>();
    lags.get("data")
        .forEach(l -> fromHttp.add(String.join(
            ",",
            l.get("topic_name").asText(),
            l.get("partition_id").asText(),
            l.get("current_offset").asText(),
            l.get("log_end_offset").asText(),
            l.get("lag").asText(),
            l.get("consumer_id").asText(),
            l.get("instance_id").asText())));
    List<String> fromSql = new ArrayList<>();
    long total = 0;
    try (Connection c = broker.sql();
        var s = c.createStatement();
        var rs = s.executeQuery(
            "select topic, partition, committed_offset, log_end_offset, lag, member_id, instance_id"
                + " from consumer_lag_overview where \"group\" = 'g-lag' order by topic, partition")) {
      while (rs.next()) {
        fromSql.add(String.join(
            ",",
            rs.getString(1),
            rs.getString(2),
            rs.getString(3),
            rs.getString(4),
            rs.getString(5),
            rs.getString(6),
            rs.getString(7)));
        total += rs.getLong(5);
      }
    }
    assertThat(fromHttp).hasSize(2).isEqualTo(fromSql);
    assertThat(total).as("5 - 2 and 5 - 4").isEqualTo(4);

    JsonNode summary = http.get(groups() + "/g-lag/lag-summary").json();
    assertThat(summary.get("total_lag").asLong()).isEqualTo(total);
    assertThat(summary.get("max_lag").asLong())
        .isEqualTo(broker.queryLong(
            "select max(lag) from consumer_lag_overview where \"group\" = 'g-lag'"));
    assertThat(summary.get("max_lag_instance_id").asText()).isEqualTo("a");
    assertThat(summary.get("max_lag_topic_name").asText()).isEqualTo("lagged");
  }

  @Test
  void groups_and_their_consumers_are_listed_with_generation_assignor_and_partitions() {
    laggingGroup("g-list", "listed");
    JsonNode list = http.get(groups()).json();
    assertThat(list.get("kind").asText()).isEqualTo("KafkaConsumerGroupList");
    assertThat(list.get("data"))
        .extracting(g -> g.get("consumer_group_id").asText())
        .contains("g-list");

    JsonNode group = http.get(groups() + "/g-list").json();
    assertThat(group.get("state").asText()).isEqualTo("STABLE");
    assertThat(group.get("type").asText())
        .as("HTTP members are assigned by the server: Kafka's consumer group type")
        .isEqualTo("CONSUMER");
    assertThat(group.get("generation_id").asInt()).isEqualTo(calls.generation("g-list"));
    assertThat(group.get("partition_assignor").asText())
        .isEqualTo("org.apache.kafka.clients.consumer.RangeAssignor");

    JsonNode consumers = http.get(groups() + "/g-list/consumers").json().get("data");
    assertThat(consumers).extracting(c -> c.get("instance_id").asText()).containsExactly("a", "b");
    Set<String> partitions = new HashSet<>();
    for (JsonNode c : consumers) {
      assertThat(c.get("consumer_id").asText())
          .isEqualTo(broker.queryText("select member_id from consumer_instance"
              + " where group_name = 'g-list' and instance_id = '"
              + c.get("instance_id").asText() + "'"));
      names(c.get("partitions"))
          .forEach(p -> assertThat(partitions.add(p)).as(p).isTrue());
    }
    assertThat(partitions).containsExactlyInAnyOrder("listed-0", "listed-1", "listed-2");

    // The links lead somewhere: a consumer, its assignments, and the lag of one of them.
    JsonNode first = consumers.get(0);
    JsonNode one = http.get(first.get("metadata").get("self").asText().replace(http.baseUrl(), ""))
        .json();
    assertThat(one.get("consumer_id")).isEqualTo(first.get("consumer_id"));
    JsonNode assigned = http.get(
            one.get("assignments").get("related").asText().replace(http.baseUrl(), ""))
        .json()
        .get("data");
    assertThat(names(assigned)).hasSize(2).isEqualTo(names(first.get("partitions")));
    var lag =
        http.get(assigned.get(0).get("lag").get("related").asText().replace(http.baseUrl(), ""));
    assertThat(lag.status()).as(lag.body()).isEqualTo(200);
    assertThat(lag.json().get("lag").asLong()).isEqualTo(3);

    TestHttp.assertError(http.get(groups() + "/nope"), 404, 404);
    TestHttp.assertError(http.get(groups() + "/nope/lags"), 404, 404);
  }
}
