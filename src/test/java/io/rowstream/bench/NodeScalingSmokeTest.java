package io.rowstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The node-scaling tool runs (1 then 2 node processes on an embedded PostgreSQL, one-second runs)
 * and its table holds every run with the CPU of every process; it measures nothing here.
 */
class NodeScalingSmokeTest {

  @Test
  void a_tiny_run_with_one_then_two_nodes_reports_each_route_and_workload_with_cpu_per_process()
      throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<NodeScaling.Run> runs = NodeScaling.run(
        NodeScalingOptions.parse(new String[] {
          "--nodes",
          "2",
          "--partitions",
          "2",
          "--records-per-request",
          "10",
          "--record-bytes",
          "100",
          "--warmup-seconds",
          "0",
          "--seconds",
          "1"
        }),
        new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(runs)
        .extracting(r -> r.nodes()
            + (r.throughFollower() ? " followers " : " leaders ")
            + (r.fetch() ? "fetch" : "produce"))
        .containsExactly(
            "1 leaders produce",
            "1 leaders fetch",
            "2 leaders produce",
            "2 followers produce",
            "2 leaders fetch",
            "2 followers fetch");
    assertThat(runs)
        .allSatisfy(r -> assertThat(r.measured().throughput().records()).isPositive());
    NodeScaling.Run forwarded = runs.get(3);
    assertThat(forwarded.measured().cpuPercent())
        .as("both nodes serve the requests sent through a follower, PostgreSQL commits them")
        .containsOnlyKeys("node 1", "node 2", "postgres", "generator")
        .allSatisfy((process, percent) -> assertThat(percent).as(process).isPositive());
    assertThat(
            printed.toString(StandardCharsets.UTF_8).lines().filter(l -> l.matches("^[12] +on .*")))
        .hasSize(6);
  }
}
