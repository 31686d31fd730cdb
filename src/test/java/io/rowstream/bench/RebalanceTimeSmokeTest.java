package io.rowstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.support.TestBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rebalance-time tool runs against a node (short session, 50 ms reaper) and prints its figures;
 * it asserts no speed. The session is 2 s, not shorter: the members that stay must renew their
 * leases between long polls even on a loaded CI machine (600 ms once lost one there).
 */
class RebalanceTimeSmokeTest {

  @Test
  void two_short_runs_print_each_time_and_the_summary() throws Exception {
    try (TestBroker broker =
        TestBroker.start("rebalance_time", c -> c.withGroupTimings(45_000, 50))) {
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      List<Long> times = RebalanceTime.run(
          RebalanceOptions.parse(new String[] {
            "--url", broker.node(0).baseUrl(), "--session-timeout-ms", "2000", "--runs", "2"
          }),
          new PrintStream(printed, true, StandardCharsets.UTF_8));

      assertThat(times)
          .hasSize(2)
          .allSatisfy(ms ->
              assertThat(ms).as("never before the lease could end").isGreaterThanOrEqualTo(1950));
      assertThat(printed.toString(StandardCharsets.UTF_8))
          .contains("session.timeout.ms 2000", "run 1: ", "run 2: ", "median");
      assertThat(broker.queryLong("select count(*) from consumer_instance"))
          .as("every member gone")
          .isZero();
    }
  }

  @Test
  void flags_are_checked() {
    assertThatThrownBy(() ->
            RebalanceOptions.parse(new String[] {"--url", "http://x", "--reaper-interval-ms", "5"}))
        .hasMessageContaining("with --url");
    assertThatThrownBy(() -> RebalanceOptions.parse(new String[] {"--runs", "0"}))
        .hasMessageContaining("--runs");
    assertThatThrownBy(() -> RebalanceOptions.parse(new String[] {"--nope", "1"}))
        .hasMessageContaining("unknown");
  }
}
