package io.rowstream.cli;

import static io.rowstream.cli.Printer.row;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code rowstream cluster info}: the cluster id, the controller and the brokers. */
@Command(
    name = "cluster",
    description = "The cluster.",
    subcommands = {ClusterCommand.Info.class})
final class ClusterCommand {
  private ClusterCommand() {}

  @Command(name = "info", description = "Cluster id, controller, and each broker with its state.")
  static final class Info extends ApiCommand {
    @Override
    void run() {
      JsonNode cluster = api().get(api().v3(""));
      String controller = lastSegment(cluster.path("controller").path("related").asText(""));
      List<Map<String, Object>> brokers = new ArrayList<>();
      api().get(api().v3("/brokers")).path("data").forEach(b -> {
        String id = b.path("broker_id").asText();
        brokers.add(row(
            "broker", id,
            "host", b.path("host"),
            "port", b.path("port"),
            "state", b.path("state").asText(),
            "controller", id.equals(controller)));
      });
      Map<String, Object> summary = row(
          "cluster_id", cluster.path("cluster_id").asText(),
          "controller", controller.isEmpty() ? null : controller,
          "url", api().url());
      Printer out = printer();
      if (out.json()) {
        ObjectNode all = Api.JSON.valueToTree(summary);
        all.set("brokers", Api.JSON.valueToTree(brokers));
        out.json(all);
        return;
      }
      out.object(summary);
      out.out().println();
      out.rows(List.of("broker", "host", "port", "state", "controller"), brokers);
    }

    private static String lastSegment(String url) {
      return url.isEmpty() ? "" : url.substring(url.lastIndexOf('/') + 1);
    }
  }
}
