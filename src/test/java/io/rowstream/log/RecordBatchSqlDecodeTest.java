package io.rowstream.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rowstream.db.Migrations;
import io.rowstream.support.TestPostgres;
import io.rowstream.support.TestPostgres.TestDatabase;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code rowstream.decode_record_batch} and {@code record_batch_header} (sql/R__message_functions.sql)
 * read Kafka v2 record batches exactly as kafka-clients does: batches built by kafka-clients'
 * {@code MemoryRecordsBuilder} go through the SQL functions and are compared field by field.
 */
class RecordBatchSqlDecodeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static Connection sql;

  @BeforeAll
  static void migrate() throws SQLException {
    TestDatabase db = TestPostgres.server().newDatabase("record_batch_sql");
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(db.url());
    dataSource.setUser(db.user());
    dataSource.setPassword(db.password());
    Migrations.apply(dataSource);
    sql = DriverManager.getConnection(db.url(), db.user(), db.password());
  }

  @AfterAll
  static void close() throws SQLException {
    sql.close();
  }

  /** A record as both sides report it: key, value and header values in base64 as the REST Proxy writes them. */
  /** Just past PostgreSQL's last timestamp, 294276-12-31 23:59:59.999999 UTC, in milliseconds since the epoch. */
  private static final long LAST_POSTGRES_MS = 9_224_318_016_000_000L;

  record Decoded(long offset, long timestampMs, String key, String value, JsonNode headers) {}

  @Test
  void random_batches_decode_as_kafka_clients_reads_them() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    int gaps = 0;
    int longVarints = 0;
    for (int round = 0; round < 200; round++) {
      byte[] batch = randomBatch(random, round, Compression.NONE);
      List<Decoded> expected = new ArrayList<>();
      MutableRecordBatch kafkaBatch = MemoryRecords.readableRecords(ByteBuffer.wrap(batch))
          .batches()
          .iterator()
          .next();
      long previous = kafkaBatch.baseOffset() - 1;
      for (Record r : kafkaBatch) {
        expected.add(new Decoded(
            r.offset(), r.timestamp(), base64(r.key()), base64(r.value()), headers(r.headers())));
        gaps += r.offset() > previous + 1 ? 1 : 0;
        longVarints += r.valueSize() > 63 ? 1 : 0;
        previous = r.offset();
      }

      assertThat(decode(batch)).as("round %d", round).containsExactlyElementsOf(expected);
      assertHeaderMatches(batch, kafkaBatch);
    }
    assertThat(gaps).as("batches with offset gaps were tried").isGreaterThan(50);
    assertThat(longVarints).as("values with multi-byte lengths were tried").isGreaterThan(200);
  }

  /**
   * lz4 and snappy batches, decompressed in PL/pgSQL, read as kafka-clients reads them: random
   * records as above, values sometimes a repeated pattern (long matches, overlapping copies) and
   * sometimes 20 kB of noise (incompressible blocks, long literals), over several codec blocks.
   */
  @ParameterizedTest
  @ValueSource(strings = {"lz4", "snappy"})
  void random_lz4_and_snappy_batches_decode_as_kafka_clients_reads_them(String codec)
      throws Exception {
    SplittableRandom random = new SplittableRandom(11);
    Compression compression = Compression.of(codec).build();
    for (int round = 0; round < 60; round++) {
      byte[] batch = randomBatch(random, round, compression);
      MutableRecordBatch kafkaBatch = MemoryRecords.readableRecords(ByteBuffer.wrap(batch))
          .batches()
          .iterator()
          .next();
      assertThat(kafkaBatch.compressionType().name).isEqualTo(codec);
      List<Decoded> expected = new ArrayList<>();
      for (Record r : kafkaBatch) {
        expected.add(new Decoded(
            r.offset(), r.timestamp(), base64(r.key()), base64(r.value()), headers(r.headers())));
      }

      assertThat(decode(batch)).as("round %d", round).containsExactlyElementsOf(expected);
      assertHeaderMatches(batch, kafkaBatch);
    }
  }

  @Test
  void offsets_are_the_base_offset_plus_each_delta_when_a_compacted_batch_has_gaps()
      throws Exception {
    MemoryRecordsBuilder builder = builder(Compression.NONE, TimestampType.CREATE_TIME, 100);
    builder.appendWithOffset(100, 1_000L, bytes("a"), bytes("1"));
    builder.appendWithOffset(103, 2_000L, bytes("b"), bytes("2"));
    builder.appendWithOffset(110, 500L, bytes("c"), null);

    List<Decoded> rows = decode(bytes(builder));

    assertThat(rows).extracting(Decoded::offset).containsExactly(100L, 103L, 110L);
    assertThat(rows).extracting(Decoded::timestampMs).containsExactly(1_000L, 2_000L, 500L);
    assertThat(rows.get(2).value()).isNull();
  }

  /**
   * Kafka's builder writes each timestamp as a delta from the first one, wrapping around 64 bits
   * (no timestamp, -1, then Long.MAX_VALUE): the decoder wraps alike, and a timestamp past
   * PostgreSQL's range is {@code infinity} with its milliseconds in {@code timestamp_ms}.
   */
  @Test
  void timestamps_at_the_ends_of_the_long_range_decode_with_their_raw_milliseconds()
      throws Exception {
    MemoryRecordsBuilder builder = builder(Compression.NONE, TimestampType.CREATE_TIME, 0);
    builder.appendWithOffset(0, RecordBatch.NO_TIMESTAMP, bytes("a"), bytes("1"));
    builder.appendWithOffset(1, Long.MAX_VALUE, bytes("b"), bytes("2"));
    builder.appendWithOffset(2, 0L, bytes("c"), bytes("3"));

    List<Decoded> rows = decode(bytes(builder));

    assertThat(rows).extracting(Decoded::timestampMs).containsExactly(-1L, Long.MAX_VALUE, 0L);
    assertThat(rows).extracting(Decoded::offset).containsExactly(0L, 1L, 2L);
  }

  @Test
  void a_gzip_batch_yields_no_rows_and_its_header_says_gzip() throws Exception {
    MemoryRecordsBuilder builder =
        builder(Compression.gzip().build(), TimestampType.CREATE_TIME, 0);
    for (int i = 0; i < 10; i++) {
      builder.appendWithOffset(i, 1_000L + i, bytes("key-" + i), bytes("value ".repeat(20)));
    }
    byte[] gzip = bytes(builder);

    assertThat(decode(gzip)).isEmpty();
    try (PreparedStatement s = sql.prepareStatement(
        "select compression, record_count, last_offset from rowstream.record_batch_header(?)")) {
      s.setBytes(1, gzip);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("gzip");
        assertThat(rs.getInt(2)).isEqualTo(10);
        assertThat(rs.getLong(3)).isEqualTo(9);
      }
    }
  }

  @Test
  void a_transaction_marker_yields_no_rows() throws Exception {
    ByteBuffer marker = MemoryRecords.withEndTransactionMarker(
            42, 1_000L, 3, 7L, (short) 1, new EndTransactionMarker(ControlRecordType.COMMIT, 0))
        .buffer();
    byte[] batch = new byte[marker.remaining()];
    marker.get(batch);

    assertThat(decode(batch)).isEmpty();
    assertHeaderMatches(
        batch,
        MemoryRecords.readableRecords(ByteBuffer.wrap(batch))
            .batches()
            .iterator()
            .next());
  }

  @Test
  void bytes_that_are_not_a_v2_batch_are_refused_as_invalid_binary_representation()
      throws Exception {
    MemoryRecordsBuilder builder = builder(Compression.NONE, TimestampType.CREATE_TIME, 0);
    builder.appendWithOffset(0, 1_000L, bytes("k"), bytes("v"));
    byte[] batch = bytes(builder);
    byte[] magic1 = batch.clone();
    magic1[16] = 1;
    byte[] truncated = java.util.Arrays.copyOf(batch, batch.length - 1);
    byte[] trailing = java.util.Arrays.copyOf(batch, batch.length + 1);

    for (byte[] bad : List.of(magic1, truncated, trailing, new byte[10])) {
      assertThatThrownBy(() -> decode(bad))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22P03"));
    }
  }

  private static List<Decoded> decode(byte[] batch) throws SQLException, java.io.IOException {
    List<Decoded> out = new ArrayList<>();
    try (PreparedStatement s = sql.prepareStatement(
        "select \"offset\", timestamp_ms, \"timestamp\", key, value, headers from rowstream.decode_record_batch(?)")) {
      s.setBytes(1, batch);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          long timestampMs = rs.getLong(2);
          OffsetDateTime timestamp = rs.getObject(3, OffsetDateTime.class);
          if (timestampMs < 0) {
            assertThat(timestamp).as("no timestamp").isNull();
          } else if (timestampMs >= LAST_POSTGRES_MS) {
            assertThat(timestamp)
                .as("past PostgreSQL's last timestamp: infinity")
                .isEqualTo(OffsetDateTime.MAX);
          } else {
            assertThat(timestamp.toInstant().toEpochMilli()).isEqualTo(timestampMs);
          }
          out.add(new Decoded(
              rs.getLong(1),
              timestampMs,
              base64(rs.getBytes(4)),
              base64(rs.getBytes(5)),
              JSON.readTree(rs.getString(6))));
        }
      }
    }
    return out;
  }

  private static void assertHeaderMatches(byte[] batch, RecordBatch kafka) throws SQLException {
    try (PreparedStatement s =
        sql.prepareStatement("select * from rowstream.record_batch_header(?)")) {
      s.setBytes(1, batch);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("base_offset")).isEqualTo(kafka.baseOffset());
        assertThat(rs.getLong("last_offset")).isEqualTo(kafka.lastOffset());
        assertThat(rs.getInt("batch_length")).isEqualTo(kafka.sizeInBytes() - 12);
        assertThat(rs.getInt("partition_leader_epoch")).isEqualTo(kafka.partitionLeaderEpoch());
        assertThat(rs.getInt("magic")).isEqualTo(kafka.magic());
        assertThat(rs.getLong("crc")).isEqualTo(kafka.checksum());
        assertThat(rs.getString("compression")).isEqualTo(kafka.compressionType().name);
        assertThat(rs.getString("timestamp_type")).isEqualTo(kafka.timestampType().name);
        assertThat(rs.getBoolean("transactional")).isEqualTo(kafka.isTransactional());
        assertThat(rs.getBoolean("control")).isEqualTo(kafka.isControlBatch());
        assertThat(rs.getLong("max_timestamp")).isEqualTo(kafka.maxTimestamp());
        assertThat(rs.getLong("producer_id")).isEqualTo(kafka.producerId());
        assertThat(rs.getShort("producer_epoch")).isEqualTo(kafka.producerEpoch());
        assertThat(rs.getInt("base_sequence")).isEqualTo(kafka.baseSequence());
        assertThat(rs.getInt("record_count")).isEqualTo(kafka.countOrNull());
      }
    }
  }

  /**
   * A batch of 1 to 20 records (sometimes 300): random or null keys and values, some values far above
   * 63 bytes (multi-byte length varints), headers with Unicode names and null or long values,
   * timestamps that go backwards within the batch, offsets with gaps, and sometimes LogAppendTime,
   * a producer id, a transaction.
   */
  private static byte[] randomBatch(SplittableRandom random, int round, Compression compression) {
    long base = random.nextLong(0, 1L << 40);
    boolean logAppendTime = random.nextInt(4) == 0;
    boolean producer = random.nextBoolean();
    MemoryRecordsBuilder builder = MemoryRecords.builder(
        ByteBuffer.allocate(1 << 22),
        RecordBatch.CURRENT_MAGIC_VALUE,
        compression,
        logAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
        base,
        random.nextLong(0, 4_000_000_000_000L),
        producer ? random.nextLong(0, Long.MAX_VALUE) : RecordBatch.NO_PRODUCER_ID,
        producer ? (short) random.nextInt(Short.MAX_VALUE) : RecordBatch.NO_PRODUCER_EPOCH,
        producer ? random.nextInt(0, Integer.MAX_VALUE / 2) : RecordBatch.NO_SEQUENCE,
        producer && random.nextBoolean(),
        random.nextInt(-1, 1000));
    int count = round % 20 == 0 ? 300 : 1 + random.nextInt(20);
    long firstTimestamp =
        random.nextInt(10) == 0 ? RecordBatch.NO_TIMESTAMP : random.nextLong(0, 4_000_000_000_000L);
    long offset = base;
    for (int i = 0; i < count; i++) {
      long timestamp = i == 0
          ? firstTimestamp
          : Math.max(
              0, Math.max(0, firstTimestamp) + random.nextLong(-100_000_000L, 100_000_000_000L));
      byte[] key = RecordBatchWriterTest.bytesOrNull(
          random, random.nextInt(4) == 0 ? 0 : random.nextInt(40));
      byte[] value = compression.type() != CompressionType.NONE && random.nextInt(3) == 0
          ? repeated(random, 1 + random.nextInt(12), random.nextInt(30_000))
          : RecordBatchWriterTest.bytesOrNull(
              random, random.nextInt(15) == 0 ? 20_000 : random.nextInt(300));
      builder.appendWithOffset(offset, timestamp, key, value, randomHeaders(random));
      offset += random.nextInt(3) == 0 ? 2 + random.nextInt(1000) : 1;
    }
    return bytes(builder);
  }

  /** {@code length} bytes repeating a random pattern of {@code period} bytes. */
  private static byte[] repeated(SplittableRandom random, int period, int length) {
    byte[] pattern = new byte[period];
    random.nextBytes(pattern);
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = pattern[i % period];
    }
    return out;
  }

  private static Header[] randomHeaders(SplittableRandom random) {
    Header[] headers = new Header[random.nextInt(4)];
    for (int i = 0; i < headers.length; i++) {
      headers[i] = new RecordHeader(
          unicode(random, random.nextInt(12)),
          RecordBatchWriterTest.bytesOrNull(random, random.nextInt(120)));
    }
    return headers;
  }

  /** Letters from ASCII, Cyrillic, CJK and emoji (no NUL: a text of PostgreSQL cannot hold one). */
  private static String unicode(SplittableRandom random, int length) {
    int[][] ranges = {{0x20, 0x7e}, {0x400, 0x4ff}, {0x4e00, 0x4fff}, {0x1f600, 0x1f64f}};
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int[] range = ranges[random.nextInt(ranges.length)];
      s.appendCodePoint(random.nextInt(range[0], range[1] + 1));
    }
    return s.toString();
  }

  private static MemoryRecordsBuilder builder(
      Compression compression, TimestampType type, long baseOffset) {
    return MemoryRecords.builder(
        ByteBuffer.allocate(1 << 16),
        RecordBatch.CURRENT_MAGIC_VALUE,
        compression,
        type,
        baseOffset);
  }

  private static byte[] bytes(MemoryRecordsBuilder builder) {
    ByteBuffer built = builder.build().buffer();
    byte[] out = new byte[built.remaining()];
    built.get(out);
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String base64(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    byte[] b = new byte[buffer.remaining()];
    buffer.get(b);
    return Base64.getEncoder().encodeToString(b);
  }

  private static String base64(byte[] b) {
    return b == null ? null : Base64.getEncoder().encodeToString(b);
  }

  private static JsonNode headers(Header[] headers) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (Header h : headers) {
      out.addObject().put("name", h.key()).put("value", base64(h.value()));
    }
    return out;
  }
}
