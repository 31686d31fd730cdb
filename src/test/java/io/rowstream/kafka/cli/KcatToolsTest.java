package io.rowstream.kafka.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Kcat;
import io.rowstream.support.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kcat (librdkafka 2.0) as the README shows it: produce keyed lines, consume from the beginning,
 * from the end backwards and from a time, and query offsets by time ({@code -Q}).
 */
class KcatToolsTest {
  private static TestBroker broker;
  private static String bootstrap;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kcat-tools");
    bootstrap = broker.kafkaBootstrap();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @BeforeEach
  void kcat() {
    Kcat.assumeInstalled();
  }

  private static String kcat(String stdin, String... args) {
    Kcat.Run run = Kcat.run(bootstrap, stdin, args);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out();
  }

  @Test
  void kcat_produces_keyed_lines_and_consumes_them_from_the_beginning_and_from_the_end() {
    broker.http().createTopic("clicks", 2);
    kcat(
        "customer-7:book\ncustomer-8:pen\ncustomer-7:ink\n",
        "-P",
        "-t",
        "clicks",
        "-p",
        "0",
        "-K:");

    assertThat(kcat(
            null, "-C", "-t", "clicks", "-p", "0", "-o", "beginning", "-e", "-f", "%o %k %s\\n"))
        .isEqualTo("0 customer-7 book\n1 customer-8 pen\n2 customer-7 ink\n");
    assertThat(kcat(null, "-C", "-t", "clicks", "-p", "0", "-o", "-2", "-e", "-f", "%o %k %s\\n"))
        .as("-o -2: the last two")
        .isEqualTo("1 customer-8 pen\n2 customer-7 ink\n");
    assertThat(
            kcat(null, "-C", "-t", "clicks", "-p", "1", "-o", "beginning", "-e", "-f", "%o %s\\n"))
        .as("nothing in partition 1")
        .isEmpty();
  }

  @Test
  void kcat_queries_offsets_by_time_and_consumes_from_a_time() {
    KafkaCliRecordsTest.writeTimed(broker.http(), "kcat-timed", 1_000, 2_000, 3_000);

    assertThat(kcat(null, "-Q", "-t", "kcat-timed:0:1500")).isEqualTo("kcat-timed [0] offset 1\n");
    assertThat(kcat(null, "-Q", "-t", "kcat-timed:0:-1"))
        .as("-1: the end offset")
        .isEqualTo("kcat-timed [0] offset 3\n");
    assertThat(kcat(
            null, "-C", "-t", "kcat-timed", "-p", "0", "-o", "s@2000", "-e", "-f", "%o %T %s\\n"))
        .isEqualTo("1 2000 b\n2 3000 c\n");
  }

  /**
   * librdkafka 2.0 turns lz4 on only when the broker advertises FindCoordinator (its feature map
   * ties lz4 to that API); now that it is served, {@code -z lz4} sends lz4 batches (when lz4 shrinks
   * them: a batch it does not shrink is sent uncompressed), stored as sent.
   */
  @Test
  void kcat_with_lz4_sends_lz4_batches_now_that_find_coordinator_is_advertised() {
    broker.http().createTopic("kcat-lz4", 1);
    String value = "v".repeat(2000);
    kcat("k:" + value + "\n", "-P", "-t", "kcat-lz4", "-p", "0", "-K:", "-z", "lz4");
    assertThat(kcat(null, "-C", "-t", "kcat-lz4", "-o", "beginning", "-e", "-f", "%k=%s\n"))
        .isEqualTo("k=" + value + "\n");
    assertThat(broker.queryText("select string_agg(distinct h.compression, ',') from"
            + " rowstream.chunk c join rowstream.topic t on t.topic_id = c.topic_id"
            + " cross join lateral rowstream.record_batch_header(c.batch) h"
            + " where t.name = 'kcat-lz4'"))
        .isEqualTo("lz4");
  }
}
