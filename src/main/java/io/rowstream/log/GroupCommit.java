package io.rowstream.log;

import io.rowstream.error.BrokerException;
import io.rowstream.topic.Topic;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group commit: concurrent appends to one partition on this node share one transaction, each
 * request's batches as consecutive chunks, offsets contiguous in arrival order. A partition's queue is drained by one
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
   * A request waiting for its commit: its records cut into batches within max.message.bytes, or a
   * client's batch stored as sent ({@code client}). The batches are encoded in the request's own
   * thread, in parallel with other requests, unless the topic stamps the log append time, which
   * only the commit knows (a client's batch is then stamped by the commit, never re-encoded).
   */
  private record Pending(
      Topic topic,
      int partition,
      List<List<LogRecord>> batches,
      List<EncodedChunk> encoded,
      ClientBatch client,
      long bytes,
      ProducerBatch producer,
      CompletableFuture<AppendResult> result) {

    List<EncodedChunk> chunks(long appendTime) {
      if (client != null) {
        return List.of(client.chunk(topic.logAppendTime(), appendTime));
      }
      return encoded != null ? encoded : encode(topic, partition, batches, appendTime);
    }

    int chunkCount() {
      return client != null ? 1 : batches.size();
    }
  }

  private static List<EncodedChunk> encode(
      Topic topic, int partition, List<List<LogRecord>> batches, long appendTime) {
    return batches.stream()
        .map(b -> EncodedChunk.encode(topic, partition, b, appendTime))
        .toList();
  }

  private static final class PartitionQueue {
    final ArrayDeque<Pending> pending = new ArrayDeque<>();
    boolean draining;
  }

  /**
   * Appends the batches as consecutive chunks, possibly in a transaction shared with other
   * requests; an idempotent producer's request (one batch) is checked on its own (a refusal fails
   * only this request).
   */
  AppendResult append(
      Topic topic, int partition, List<List<LogRecord>> batches, ProducerBatch producer) {
    if (producer != null && batches.size() != 1) {
      throw new IllegalStateException("an idempotent request of " + batches.size()
          + " batches in group commit indicates a bug");
    }
    long bytes = 0;
    for (List<LogRecord> b : batches) {
      for (LogRecord r : b) {
        bytes += ChunkReader.sizeOf(r);
      }
    }
    List<EncodedChunk> encoded =
        topic.logAppendTime() ? null : encode(topic, partition, batches, 0);
    return enqueue(new Pending(
        topic, partition, batches, encoded, null, bytes, producer, new CompletableFuture<>()));
  }

  /**
   * Appends a client's batch as one chunk, as sent (stamped with the commit's append time on a
   * LogAppendTime topic), possibly in a transaction shared with other requests; an idempotent
   * producer's batch is checked on its own.
   */
  AppendResult append(Topic topic, int partition, ClientBatch batch) {
    return enqueue(new Pending(
        topic,
        partition,
        null,
        null,
        batch,
        batch.batch().length,
        batch.producer(),
        new CompletableFuture<>()));
  }

  private AppendResult enqueue(Pending mine) {
    Topic topic = mine.topic();
    int partition = mine.partition();
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
        int chunks = 0;
        while (!queue.pending.isEmpty()
            && (batch.isEmpty()
                || (chunks + queue.pending.peek().chunkCount() <= MAX_CHUNKS_PER_COMMIT
                    && bytes + queue.pending.peek().bytes() <= MAX_BYTES_PER_COMMIT))) {
          Pending p = queue.pending.poll();
          bytes += p.bytes();
          chunks += p.chunkCount();
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
      List<EncodedChunk> chunks = new ArrayList<>();
      List<ProducerBatch> producers = new ArrayList<>();
      List<Pending> encoded = new ArrayList<>(batch.size());
      for (Pending p : batch) {
        try {
          chunks.addAll(p.chunks(appendTime));
        } catch (
            BrokerException
                refused) { // a batch compressed past max.message.bytes: this request only
          p.result().completeExceptionally(refused);
          continue;
        }
        encoded.add(p);
        for (int i = 0; i < p.chunkCount(); i++) {
          producers.add(p.producer());
        }
      }
      if (encoded.isEmpty()) {
        return;
      }
      // Requests to one partition name one topic id; the newest view of its configs applies.
      List<PartitionAppender.Outcome> results = appender.appendChunks(
          encoded.getLast().topic(), partition, chunks, producers, appendTime);
      int at = 0;
      for (Pending p : encoded) {
        int n = p.chunkCount();
        List<PartitionAppender.Outcome> mine = results.subList(at, at + n);
        at += n;
        if (mine.getFirst().refused() != null) {
          p.result().completeExceptionally(mine.getFirst().refused());
        } else {
          p.result().complete(PartitionAppender.spanning(mine));
        }
      }
    } catch (Throwable e) {
      batch.forEach(p -> p.result().completeExceptionally(e));
    }
  }
}
