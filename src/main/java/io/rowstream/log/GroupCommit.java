package io.rowstream.log;

import io.rowstream.topic.Topic;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group commit: concurrent appends to one partition on this node share one transaction, one
 * chunk per request, offsets contiguous in arrival order. A partition's queue is drained by one
 * virtual thread that exists only while there is work, so a lone request goes straight to the
 * database with no added wait, and requests that arrive during a commit ride the next one.
 */
final class GroupCommit {
  /** Bounds one transaction, so a burst does not become one huge, long-held row lock. */
  static final int MAX_CHUNKS_PER_COMMIT = 128;
  static final long MAX_BYTES_PER_COMMIT = 32L * 1024 * 1024;

  private final PartitionAppender appender;
  private final Clock clock;
  private final ConcurrentHashMap<PartitionKey, PartitionQueue> queues = new ConcurrentHashMap<>();

  GroupCommit(PartitionAppender appender, Clock clock) {
    this.appender = appender;
    this.clock = clock;
  }

  /**
   * A request waiting for its commit. Its batch is encoded in the request's own thread, in
   * parallel with other requests, unless the topic stamps the log append time, which only the
   * commit knows.
   */
  private record Pending(Topic topic, List<LogRecord> records, EncodedChunk encoded, long bytes,
      ProducerBatch producer, CompletableFuture<AppendResult> result) {

    EncodedChunk chunk(long appendTime) {
      return encoded != null ? encoded : EncodedChunk.encode(records, true, appendTime);
    }
  }

  private static final class PartitionQueue {
    final ArrayDeque<Pending> pending = new ArrayDeque<>();
    boolean draining;
  }

  /**
   * Appends the records as one chunk, possibly in a transaction shared with other requests; an
   * idempotent producer's chunk is checked on its own (a refusal fails only this request).
   */
  AppendResult append(Topic topic, int partition, List<LogRecord> records, ProducerBatch producer) {
    long bytes = 0;
    for (LogRecord r : records) {
      bytes += ChunkReader.sizeOf(r);
    }
    EncodedChunk encoded = topic.logAppendTime() ? null : EncodedChunk.encode(records, false, 0);
    Pending mine = new Pending(topic, records, encoded, bytes, producer, new CompletableFuture<>());
    PartitionKey key = new PartitionKey(topic.id(), partition);
    PartitionQueue queue = queues.computeIfAbsent(key, k -> new PartitionQueue());
    boolean startDrainer;
    synchronized (queue) {
      queue.pending.add(mine);
      startDrainer = !queue.draining;
      queue.draining = true;
    }
    if (startDrainer) {
      Thread.ofVirtual().name("group-commit-", key.topicId()).start(() -> drain(partition, queue));
    }
    try {
      return mine.result().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private void drain(int partition, PartitionQueue queue) {
    while (true) {
      List<Pending> batch = new ArrayList<>();
      synchronized (queue) {
        long bytes = 0;
        while (!queue.pending.isEmpty() && batch.size() < MAX_CHUNKS_PER_COMMIT
            && (batch.isEmpty() || bytes + queue.pending.peek().bytes() <= MAX_BYTES_PER_COMMIT)) {
          Pending p = queue.pending.poll();
          bytes += p.bytes();
          batch.add(p);
        }
        if (batch.isEmpty()) {
          queue.draining = false;
          return;
        }
      }
      commit(partition, batch);
    }
  }

  private void commit(int partition, List<Pending> batch) {
    try {
      long appendTime = clock.millis();
      List<EncodedChunk> chunks = batch.stream().map(p -> p.chunk(appendTime)).toList();
      // Requests to one partition name one topic id; the newest view of its configs applies.
      List<ProducerBatch> producers = batch.stream().map(Pending::producer).toList();
      List<PartitionAppender.Outcome> results =
          appender.appendChunks(batch.getLast().topic(), partition, chunks, producers, appendTime);
      for (int i = 0; i < batch.size(); i++) {
        PartitionAppender.Outcome outcome = results.get(i);
        if (outcome.refused() != null) {
          batch.get(i).result().completeExceptionally(outcome.refused());
        } else {
          batch.get(i).result().complete(outcome.appended());
        }
      }
    } catch (Throwable e) {
      batch.forEach(p -> p.result().completeExceptionally(e));
    }
  }
}
