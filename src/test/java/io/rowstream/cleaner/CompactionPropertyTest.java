package io.rowstream.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.cleaner.TestBatches.Read;
import io.rowstream.cleaner.TestBatches.Rec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

/**
 * Random logs through two passes each, checked against a model of compaction: below the cleanable
 * end a record stays iff it has a key, it is that key's latest record below the end, and it is not a
 * tombstone whose batch an earlier pass stamped with a delete horizon that has come; a kept
 * tombstone's batch carries the earlier stamp or this pass's time plus delete.retention.ms; at and
 * past the end every chunk is untouched.
 */
class CompactionPropertyTest {
  private static final long RETENTION_MS = 5_000;
  private static final CompressionType[] CODECS = {
    CompressionType.NONE,
    CompressionType.NONE,
    CompressionType.GZIP,
    CompressionType.LZ4,
    CompressionType.ZSTD,
    CompressionType.SNAPPY
  };

  /** A stored chunk as the lead keeps it: the batch and its append time. */
  private record Chunk(ByteBuffer batch, long appendedAtMs) {
    long baseOffset() {
      return TestBatches.only(batch).baseOffset();
    }

    long lastOffset() {
      return TestBatches.only(batch).lastOffset();
    }
  }

  @Test
  void a_hundred_random_logs_compact_to_the_latest_record_of_every_key_at_its_original_offset() {
    int stoppedByTheMap = 0;
    int secondPassesWithWork = 0;
    long tombstonesRemovedByTheirHorizon = 0;
    for (int seed = 0; seed < 100; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      List<Chunk> log = randomLog(random);
      Map<Long, Read> original = byOffset(log);
      int active = random.nextInt(Math.min(3, log.size()) + 1);
      int capacity = 8 + random.nextInt(16);
      long now1 = random.nextLong(log.getLast().appendedAtMs() + 2 * RETENTION_MS);

      CleanerPass pass1 = CleanerPass.plan(
          0, batches(log.subList(0, log.size() - active)), OffsetMap.withCapacity(capacity));
      List<Chunk> once = clean(pass1, log, now1);
      long dirtyEnd =
          active == log.size() ? 0 : log.get(log.size() - active - 1).lastOffset() + 1;
      stoppedByTheMap += pass1.cleanableEndOffset() < dirtyEnd ? 1 : 0;
      check("seed " + seed + " pass 1", log, once, original, pass1.cleanableEndOffset(), now1);

      long now2 = now1 + random.nextLong(2 * RETENTION_MS);
      List<Chunk> dirty2 = once.subList(0, once.size() - active).stream()
          .filter(c -> c.baseOffset() >= pass1.cleanableEndOffset())
          .toList();
      CleanerPass pass2 = CleanerPass.plan(
          pass1.cleanableEndOffset(), batches(dirty2), OffsetMap.withCapacity(capacity));
      List<Chunk> twice = clean(pass2, once, now2);
      check("seed " + seed + " pass 2", once, twice, original, pass2.cleanableEndOffset(), now2);
      tombstonesRemovedByTheirHorizon += removedByTheirHorizon(once, twice, now2);
      secondPassesWithWork += pass2.hasWork() ? 1 : 0;
    }
    assertThat(stoppedByTheMap).as("logs whose first pass the map cut short").isGreaterThan(10);
    assertThat(secondPassesWithWork)
        .as("second passes that had dirty batches to map")
        .isGreaterThan(10);
    assertThat(tombstonesRemovedByTheirHorizon)
        .as("tombstones kept by pass 1, gone in pass 2")
        .isPositive();
  }

  private static List<Chunk> randomLog(SplittableRandom random) {
    int keySpace = 1 + random.nextInt(30);
    int chunks = 1 + random.nextInt(30);
    List<Chunk> log = new ArrayList<>();
    long offset = 0;
    for (int c = 0; c < chunks; c++) {
      List<Rec> records = new ArrayList<>();
      int n = 1 + random.nextInt(8);
      for (int i = 0; i < n; i++) {
        String key = random.nextInt(10) == 0 ? null : "k" + random.nextInt(keySpace);
        String value = random.nextInt(5) == 0 ? null : "v" + (offset + i);
        Header[] headers = random.nextInt(4) == 0
            ? new Header[] {
              new RecordHeader("h", ("at " + (offset + i)).getBytes(StandardCharsets.UTF_8))
            }
            : new Header[0];
        records.add(new Rec(key, value, 1_000_000 + random.nextLong(100_000), headers));
      }
      Compression codec = Compression.of(CODECS[random.nextInt(CODECS.length)]).build();
      boolean idempotent = random.nextBoolean();
      ByteBuffer batch = TestBatches.batch(
          offset,
          codec,
          idempotent ? 9 : RecordBatch.NO_PRODUCER_ID,
          idempotent ? (short) 1 : RecordBatch.NO_PRODUCER_EPOCH,
          idempotent ? (int) offset : RecordBatch.NO_SEQUENCE,
          records);
      log.add(new Chunk(batch, 1_000L * c));
      offset += n;
    }
    return log;
  }

  /** What the lead does with a pass: filter every chunk below the end, keep the rest as they are. */
  private static List<Chunk> clean(CleanerPass pass, List<Chunk> log, long nowMs) {
    List<Chunk> out = new ArrayList<>();
    for (Chunk chunk : log) {
      if (chunk.lastOffset() >= pass.cleanableEndOffset()) {
        out.add(chunk);
        continue;
      }
      Optional<CompactedBatch> cleaned =
          pass.filter(chunk.batch(), new TombstoneRetention(nowMs, RETENTION_MS));
      cleaned.ifPresent(c -> {
        checkFigures(chunk, c, nowMs);
        out.add(new Chunk(c.batch(), chunk.appendedAtMs()));
      });
    }
    return out;
  }

  private static void checkFigures(Chunk in, CompactedBatch out, long nowMs) {
    MutableRecordBatch before = TestBatches.only(in.batch());
    MutableRecordBatch after = TestBatches.only(out.batch());
    after.ensureValid();
    List<Read> kept = TestBatches.read(out.batch());
    assertThat(after.baseOffset()).isEqualTo(before.baseOffset()).isEqualTo(out.baseOffset());
    assertThat(after.lastOffset()).isEqualTo(before.lastOffset()).isEqualTo(out.lastOffset());
    assertThat(after.compressionType()).isEqualTo(before.compressionType());
    assertThat(after.producerId()).isEqualTo(before.producerId());
    assertThat(after.producerEpoch()).isEqualTo(before.producerEpoch());
    assertThat(after.baseSequence()).isEqualTo(before.baseSequence());
    assertThat(out.recordsKept()).isEqualTo(kept.size());
    assertThat(out.recordsKept() + out.recordsDropped())
        .isEqualTo(TestBatches.read(in.batch()).size());
    assertThat(out.sizeInBytes()).isEqualTo(after.sizeInBytes());
    assertThat(out.minTimestampMs())
        .isEqualTo(kept.stream().mapToLong(Read::timestamp).min().orElseThrow());
    assertThat(out.maxTimestampMs())
        .isEqualTo(kept.stream().mapToLong(Read::timestamp).max().orElseThrow());
    if (kept.stream().anyMatch(r -> r.value() == null)) {
      long horizon = before.deleteHorizonMs().orElse(nowMs + RETENTION_MS);
      assertThat(after.deleteHorizonMs()).as("the horizon of a kept tombstone").hasValue(horizon);
      assertThat(out.tombstoneHorizonMs()).hasValue(horizon);
    } else {
      assertThat(out.tombstoneHorizonMs()).isEmpty();
    }
  }

  /** {@code input}: the log the pass cleaned, whose batches carry the horizons stamped by earlier passes. */
  private static void check(
      String what,
      List<Chunk> input,
      List<Chunk> compacted,
      Map<Long, Read> original,
      long end,
      long nowMs) {
    Map<Long, Long> horizons = stampedHorizons(input);
    Map<String, Long> latestBelowEnd = new HashMap<>();
    Map<String, Read> latest = new HashMap<>();
    for (Read r : original.values()) {
      if (r.key() != null) {
        latest.merge(r.key(), r, (a, b) -> a.offset() > b.offset() ? a : b);
        if (r.offset() < end) {
          latestBelowEnd.merge(r.key(), r.offset(), Math::max);
        }
      }
    }
    List<Long> expected = new ArrayList<>();
    for (Read r : original.values()) {
      boolean droppableTombstone =
          r.value() == null && horizons.getOrDefault(r.offset(), Long.MAX_VALUE) <= nowMs;
      if (r.offset() >= end
          || (r.key() != null
              && latestBelowEnd.get(r.key()) == r.offset()
              && !droppableTombstone)) {
        expected.add(r.offset());
      }
    }
    Map<Long, Read> result = byOffset(compacted);

    assertThat(result.keySet())
        .as(what + ": offsets kept, end %d", end)
        .containsExactlyElementsOf(expected);
    result.forEach((offset, r) ->
        assertThat(r).as(what + ": record at %d", offset).isEqualTo(original.get(offset)));
    for (Chunk c : input) {
      if (c.baseOffset() >= end) {
        assertThat(compacted)
            .as(what + ": chunk at %d untouched", c.baseOffset())
            .contains(c);
      }
    }
    latest.forEach((key, r) -> {
      boolean gone = r.offset() < end
          && r.value() == null
          && horizons.getOrDefault(r.offset(), Long.MAX_VALUE) <= nowMs;
      assertThat(result.get(r.offset()))
          .as(what + ": latest record of %s", key)
          .isEqualTo(gone ? null : r);
    });
    assertThat(consumerView(result))
        .as(what + ": what a consumer from the start sees")
        .isEqualTo(consumerView(original));
  }

  /** Key → value after reading every record in offset order, a tombstone deleting its key. */
  private static Map<String, String> consumerView(Map<Long, Read> records) {
    Map<String, String> view = new HashMap<>();
    for (Read r : records.values()) {
      if (r.key() != null) {
        if (r.value() == null) {
          view.remove(r.key());
        } else {
          view.put(r.key(), r.value());
        }
      }
    }
    return view;
  }

  private static Map<Long, Read> byOffset(List<Chunk> log) {
    Map<Long, Read> out = new LinkedHashMap<>();
    long previous = -1;
    for (Chunk c : log) {
      for (Read r : TestBatches.read(c.batch())) {
        assertThat(r.offset()).as("offsets ascend").isGreaterThan(previous);
        previous = r.offset();
        out.put(r.offset(), r);
      }
    }
    return out;
  }

  /** Offset → the delete horizon stamped in its batch, for the records of stamped batches. */
  private static Map<Long, Long> stampedHorizons(List<Chunk> log) {
    Map<Long, Long> out = new HashMap<>();
    for (Chunk c : log) {
      TestBatches.only(c.batch()).deleteHorizonMs().ifPresent(h -> {
        for (long o = c.baseOffset(); o <= c.lastOffset(); o++) {
          out.put(o, h);
        }
      });
    }
    return out;
  }

  /** Tombstones of {@code before} that {@code after} lacks, whose stamped horizon had come at {@code nowMs}. */
  private static long removedByTheirHorizon(List<Chunk> before, List<Chunk> after, long nowMs) {
    Map<Long, Long> horizons = stampedHorizons(before);
    Map<Long, Read> left = byOffset(after);
    return byOffset(before).values().stream()
        .filter(r -> r.value() == null
            && !left.containsKey(r.offset())
            && horizons.getOrDefault(r.offset(), Long.MAX_VALUE) <= nowMs)
        .count();
  }

  private static List<ByteBuffer> batches(List<Chunk> chunks) {
    return chunks.stream().map(Chunk::batch).toList();
  }
}
