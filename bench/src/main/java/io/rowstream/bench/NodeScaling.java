package io.rowstream.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Produce and fetch throughput with 1, 2, … {@code --nodes} Rowstream nodes on one PostgreSQL, and
 * the CPU each process used: starts an embedded PostgreSQL (fsync and synchronous_commit on) and a
 * node in a JVM of its own ({@link LocalNode}), then for each cluster size adds a node, creates a
 * topic of {@code --partitions} partitions, waits until the controller has spread its leadership
 * over all the nodes, and runs, each for {@code --seconds} after {@code --warmup-seconds}: produce
 * with every client on its partition's leader, produce through a follower (which forwards to the
 * leader), and the same two for fetch (a follower reads PostgreSQL itself). The topic is deleted
 * before the next size. Prints one table; {@code bench/node-scaling.sh} runs it.
 */
public final class NodeScaling {
  private NodeScaling() {}

  /** One run at one cluster size: its clients' route and workload, and what it measured. */
  record Run(int nodes, boolean throughFollower, boolean fetch, PartitionLoad.Measured measured) {}

  public static void main(String[] args) throws Exception {
    run(Cli.parseOrExit(args, NodeScalingOptions::parse), System.out);
  }

  /** Runs every size and prints the table to {@code out} as it goes; returns the runs in order. */
  static List<Run> run(NodeScalingOptions o, PrintStream out) throws Exception {
    out.printf(Locale.ROOT, "# %d cores, %d partitions, %d client(s) per partition, %d records of %d B per "
        + "produce request, acks=all, %d s per run after %d s warm-up%n", Runtime.getRuntime().availableProcessors(),
        o.partitions(), o.clientsPerPartition(), o.recordsPerRequest(), o.recordBytes(), o.duration().toSeconds(),
        o.warmup().toSeconds());
    out.println(header(o.maxNodes()));
    List<Run> runs = new ArrayList<>();
    try (LocalNode local = LocalNode.startProcess()) {
      Map<Integer, RestClient> clients = new LinkedHashMap<>();
      try {
        for (int n = 1; n <= o.maxNodes(); n++) {
          if (n > 1) {
            local.addProcess(n);
          }
          local.children().forEach(node -> clients.computeIfAbsent(node.nodeId(), id -> new RestClient(node.url())));
          runs.addAll(runSize(local, clients, o, n, out));
        }
      } finally {
        clients.values().forEach(RestClient::close);
      }
    }
    return runs;
  }

  /** The runs at one cluster size, each printed as a row, on a topic created for them and deleted after. */
  private static List<Run> runSize(LocalNode local, Map<Integer, RestClient> clients, NodeScalingOptions o, int n,
      PrintStream out) throws Exception {
    String topic = "node-scaling-" + n;
    RestClient first = clients.values().iterator().next();
    first.createTopic(topic, o.partitions());
    NodeRoutes routes = NodeRoutes.awaitBalanced(local.database(), topic, List.copyOf(clients.keySet()));
    Map<String, PartitionLoad.CpuMeter> meters = new LinkedHashMap<>();
    for (LocalNode.ChildNode node : local.children()) {
      meters.put("node " + node.nodeId(), () -> ProcessCpu.of(node.process()));
    }
    ProcessHandle postmaster = local.postmaster();
    meters.put("postgres", () -> ProcessCpu.tree(postmaster));
    meters.put("generator", () -> ProcessCpu.of(ProcessHandle.current()));
    PartitionLoad load = new PartitionLoad(o, clients, meters);
    List<Run> runs = new ArrayList<>();
    for (boolean fetch : new boolean[] {false, true}) {
      for (boolean throughFollower : n == 1 ? new boolean[] {false} : new boolean[] {false, true}) {
        String via = throughFollower ? "followers" : "leaders";
        PartitionLoad.Measured m = fetch
            ? load.fetch(topic, routes, throughFollower, "fetch")
            : load.produce(topic, routes, throughFollower, "produce");
        out.println(row(n, via, m, o.maxNodes()));
        runs.add(new Run(n, throughFollower, fetch, m));
      }
    }
    first.deleteTopic(topic);
    return runs;
  }

  private static String header(int maxNodes) {
    StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-5s %-12s %-8s %8s %10s %8s %8s |",
        "nodes", "clients", "workload", "MB/s", "records/s", "p50 ms", "p99 ms"));
    for (int i = 1; i <= maxNodes; i++) {
      h.append(String.format(Locale.ROOT, " %7s", "node " + i));
    }
    return h.append(String.format(Locale.ROOT, " %8s %9s  (CPU, %% of one core)", "postgres", "generator"))
        .toString();
  }

  private static String row(int n, String via, PartitionLoad.Measured m, int maxNodes) {
    Throughput t = m.throughput();
    StringBuilder r = new StringBuilder(String.format(Locale.ROOT, "%-5d %-12s %-8s %8.1f %10.0f %8.1f %8.1f |", n,
        "on " + via, t.name(), t.megabytesPerSecond(), t.recordsPerSecond(), t.percentileMillis(50),
        t.percentileMillis(99)));
    for (int i = 1; i <= maxNodes; i++) {
      Double cpu = m.cpuPercent().get("node " + i);
      r.append(cpu == null ? String.format(Locale.ROOT, " %7s", "-") : String.format(Locale.ROOT, " %7.0f", cpu));
    }
    return r.append(String.format(Locale.ROOT, " %8.0f %9.0f", m.cpuPercent().get("postgres"),
        m.cpuPercent().get("generator"))).toString();
  }
}
