package io.rowstream.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.RowstreamNode;
import io.rowstream.support.TestBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Several nodes starting at once on an empty database migrate it exactly once. */
class ConcurrentStartTest {

  @Test
  void three_nodes_starting_together_on_an_empty_database_all_come_up_on_one_schema()
      throws Exception {
    try (TestBroker broker = TestBroker.start("concurrent_start");
        ExecutorService pool = Executors.newFixedThreadPool(3)) {
      broker.stopNode(0);
      broker.sql().createStatement().execute("drop schema rowstream, rowstream_chunks cascade");
      CountDownLatch go = new CountDownLatch(1);
      List<Future<RowstreamNode>> starts = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        int nodeId = 10 + i;
        starts.add(pool.submit(() -> {
          go.await();
          return RowstreamNode.start(broker.config(nodeId));
        }));
      }
      go.countDown();
      List<RowstreamNode> nodes = new ArrayList<>();
      try {
        for (Future<RowstreamNode> f : starts) {
          nodes.add(f.get());
        }
        assertThat(broker.queryLong(
                "select count(*) from flyway_schema_history where success and version is not null"))
            .isEqualTo(
                broker.queryLong("select count(distinct version) from flyway_schema_history"));
        assertThat(broker.queryLong("select count(*) from cluster")).isEqualTo(1);
        assertThat(broker.queryLong("select count(*) from broker where lease_expires_at > now()"))
            .isEqualTo(3);
        assertThat(broker.queryLong("select count(*) from partition_overview")).isZero();
      } finally {
        nodes.forEach(RowstreamNode::close);
      }
    }
  }
}
