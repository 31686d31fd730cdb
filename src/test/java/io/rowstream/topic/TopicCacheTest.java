package io.rowstream.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The topic cache never hides a partition that exists and never caches a missing topic; an
 * entry ages out after {@link TopicCache#MAX_AGE}; and a node whose cache still holds a topic
 * deleted and recreated through another node writes nothing under the old topic id.
 */
class TopicCacheTest {
  static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("topic_cache");
    broker.startNode();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void entries_age_out_and_a_partition_unknown_to_the_entry_is_looked_up_afresh() {
    AtomicLong now = new AtomicLong();
    TopicStore store = new TopicStore(broker.node(0).database().dsl());
    TopicCache cache = new TopicCache(store, now::get);
    store.create("cached", 1, 1, Map.of(), Integer.MAX_VALUE);
    Topic first = cache.require("cached");

    store.alterConfigs("cached", Map.of("max.message.bytes", "5000"), Set.of());
    assertThat(cache.require("cached")).isSameAs(first);
    now.addAndGet(TopicCache.MAX_AGE.toNanos());
    assertThat(cache.require("cached").maxMessageBytes()).isEqualTo(5000);

    store.addPartitions("cached", 3, Integer.MAX_VALUE);
    assertThat(cache.requirePartition("cached", 2).partitionCount()).isEqualTo(3);
    assertThatThrownBy(() -> cache.requirePartition("cached", 3))
        .isInstanceOfSatisfying(
            BrokerException.class,
            e -> assertThat(e.error()).isEqualTo(BrokerError.PARTITION_NOT_FOUND));
    assertThatThrownBy(() -> cache.require("never-created"))
        .isInstanceOfSatisfying(
            BrokerException.class,
            e -> assertThat(e.error()).isEqualTo(BrokerError.TOPIC_NOT_FOUND));
  }

  @Test
  void a_topic_deleted_and_recreated_through_another_node_is_never_written_under_its_old_id() {
    TestHttp a = broker.http(0);
    TestHttp b = broker.http(1);
    a.createTopic("recreated", 1);
    String body = TestHttp.json(Map.of("records", List.of(Map.of("value", "AA=="))));
    assertThat(b.post("/topics/recreated", TestHttp.BINARY, body).status())
        .isEqualTo(200); // b caches it
    long oldId = broker.queryLong("select topic_id from topic where name = 'recreated'");
    long oldChunks = broker.queryLong("select count(*) from chunk where topic_id = " + oldId);

    assertThat(a.delete("/v3/clusters/" + a.clusterId() + "/topics/recreated").status())
        .isEqualTo(204);
    a.createTopic("recreated", 2);
    // Within the entry's age b may still hold the old id: the append finds no partition row.
    var raced = b.post("/topics/recreated", TestHttp.BINARY, body);
    assertThat(raced.status()).as(raced.body()).isIn(200, 404);
    // Its old chunks stay until log maintenance drops their tables, but none is added.
    assertThat(broker.queryLong("select count(*) from chunk where topic_id = " + oldId))
        .isLessThanOrEqualTo(oldChunks);

    // A failed append drops the entry, so the next request reads the new topic.
    var next = b.post("/topics/recreated", TestHttp.BINARY, body);
    assertThat(next.status()).as(next.body()).isEqualTo(200);
    long newId = broker.queryLong("select topic_id from topic where name = 'recreated'");
    assertThat(newId).isNotEqualTo(oldId);
    assertThat(broker.queryLong("select count(*) from chunk where topic_id = " + newId))
        .isPositive();
  }
}
