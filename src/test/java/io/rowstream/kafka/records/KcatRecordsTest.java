package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Kcat;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * librdkafka (Debian's kcat 1.7 on librdkafka 2.0) produces with keys, headers and a codec, as an
 * idempotent producer, and consumes by offset. librdkafka compresses only when Produce v0 is in the
 * advertised range (KAFKA-18659), so the stored batches' codec shows that the range is advertised
 * as Kafka 4 advertises it.
 */
class KcatRecordsTest {
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kcat-records");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @BeforeEach
  void kcat() {
    Kcat.assumeInstalled();
  }

  // Not lz4: librdkafka sends a batch lz4 does not shrink (as these three short records)
  // uncompressed; KcatToolsTest has lz4 with a value it shrinks.
  @ParameterizedTest
  @ValueSource(strings = {"none", "gzip", "snappy", "zstd"})
  void kcat_produces_keys_and_headers_compressed_and_consumes_them_by_offset(String codec) {
    String topic = "kcat-" + codec;
    broker.http().createTopic(topic, 2);
    Kcat.Run produced = Kcat.run(
        broker.kafkaBootstrap(),
        "k1:first\nk2:second\nk3:third\n",
        "-P",
        "-t",
        topic,
        "-p",
        "1",
        "-K",
        ":",
        "-H",
        "source=kcat",
        "-z",
        codec,
        "-X",
        "enable.idempotence=true",
        "-X",
        "linger.ms=50");
    assertThat(produced.exitCode()).as(produced.err()).isZero();

    Kcat.Run consumed = Kcat.run(
        broker.kafkaBootstrap(),
        null,
        "-C",
        "-t",
        topic,
        "-p",
        "1",
        "-o",
        "1",
        "-e",
        "-f",
        "%o|%k|%s|%h\\n");
    assertThat(consumed.exitCode()).as(consumed.err()).isZero();
    assertThat(consumed.out()).isEqualTo("1|k2|second|source=kcat\n2|k3|third|source=kcat\n");

    // The same records over HTTP, and the batch stored in the codec librdkafka chose.
    assertThat(broker
            .http()
            .get("/topics/" + topic + "/partitions/1/records?offset=0", "Accept", TestHttp.BINARY)
            .json())
        .hasSize(3);
    assertThat(broker.queryText("select string_agg(distinct h.compression, ',') from"
            + " rowstream.chunk c join rowstream.topic t on t.topic_id = c.topic_id"
            + " cross join lateral rowstream.record_batch_header(c.batch) h where t.name = '"
            + topic + "'"))
        .isEqualTo(codec);
    assertThat(broker.queryLong("select count(*) from rowstream.producer_sequence s join"
            + " rowstream.topic t on t.topic_id = s.topic_id where t.name = '" + topic + "'"))
        .as("librdkafka's idempotent producer kept its sequence")
        .isEqualTo(1);
  }
}
