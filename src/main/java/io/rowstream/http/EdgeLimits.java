package io.rowstream.http;

import io.rowstream.config.OpsConfig;
import io.rowstream.log.FetchMemoryBudget;
import io.rowstream.log.LogRecord;
import io.rowstream.log.StoredRecord;
import io.rowstream.metrics.BrokerMetrics;
import io.rowstream.produce.ProduceRecord;
import io.rowstream.security.Principal;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * What one request, principal or node may ask for, checked before any work: records per request,
 * headers per record (413 / 41301), long-polls waiting on this node and per-principal byte-rate
 * quotas (429 / 42901 with {@code Retry-After}). Quotas are per node, in memory, as Kafka's are
 * per broker. The bytes of fetches in flight are bounded per node ({@link FetchMemoryBudget}, one
 * budget for both doors): one more that does not fit is 429 / 42901 too. It also counts what passes, for the metrics.
 */
final class EdgeLimits {
  private final OpsConfig.Limits limits;
  private final BrokerMetrics metrics;
  private final Semaphore longPolls;
  private final FetchMemoryBudget fetchMemory;
  private final ConcurrentHashMap<String, ByteRate> produceRates = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ByteRate> fetchRates = new ConcurrentHashMap<>();

  EdgeLimits(OpsConfig.Limits limits, BrokerMetrics metrics, FetchMemoryBudget fetchMemory) {
    this.limits = limits;
    this.metrics = metrics;
    this.longPolls = new Semaphore(limits.maxLongPolls());
    this.fetchMemory = fetchMemory;
  }

  /** Refuses a produce of more records than allowed in one request. */
  void checkRecordCount(int records) {
    if (records > limits.maxRecordsPerRequest()) {
      throw new HttpStatusException(
          HttpError.TOO_LARGE,
          "Too many records in one request: " + records + " (at most "
              + limits.maxRecordsPerRequest() + ", ROWSTREAM_MAX_RECORDS_PER_REQUEST).");
    }
  }

  /** Refuses a record with too many headers, or headers too large; returns the record. */
  ProduceRecord checkHeaders(ProduceRecord record) {
    checkHeaders(record.headers());
    return record;
  }

  /** Refuses records forwarded by another node that break the record or header limits. */
  void checkForwarded(List<LogRecord> records) {
    checkRecordCount(records.size());
    for (LogRecord r : records) {
      checkHeaders(r.headers());
    }
  }

  private void checkHeaders(List<LogRecord.Header> headers) {
    if (headers.size() > limits.maxHeadersPerRecord()) {
      throw new HttpStatusException(
          HttpError.TOO_LARGE,
          "Too many headers in a record: " + headers.size() + " (at most "
              + limits.maxHeadersPerRecord() + ").");
    }
    long bytes = 0;
    for (LogRecord.Header h : headers) {
      bytes += h.name().length() + (h.value() == null ? 0 : h.value().length);
    }
    if (bytes > limits.maxHeaderBytes()) {
      throw new HttpStatusException(
          HttpError.TOO_LARGE,
          "A record's headers hold " + bytes + " bytes (at most " + limits.maxHeaderBytes() + ").");
    }
  }

  /**
   * Checks every limit of a produce request, and charges its bytes to the principal's quota.
   *
   * @return the key and value bytes of the records
   */
  long checkProduce(Principal principal, List<ProduceRecord> records) {
    checkRecordCount(records.size());
    long bytes = 0;
    for (ProduceRecord r : records) {
      checkHeaders(r);
      bytes += (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
    }
    charge(produceRates, limits.produceByteRate(), principal, bytes, "produce");
    return bytes;
  }

  /** Counts records appended to a topic by a request that started at {@code startNanos}. */
  void produced(String topic, int records, long bytes, long startNanos) {
    metrics.produced(topic, records, bytes, System.nanoTime() - startNanos);
  }

  /** Refuses a fetch while the principal is over its fetch quota (fetched bytes are charged after). */
  void checkFetchQuota(Principal principal) {
    charge(fetchRates, limits.fetchByteRate(), principal, 0, "fetch");
  }

  /** Counts fetched records and charges their key and value bytes to the principal's fetch quota. */
  void fetched(Principal principal, String topic, List<StoredRecord> records) {
    long bytes = 0;
    for (StoredRecord r : records) {
      bytes += (r.record().key() == null ? 0 : r.record().key().length)
          + (r.record().value() == null ? 0 : r.record().value().length);
    }
    metrics.fetched(topic, records.size(), bytes);
    if (limits.fetchByteRate() > 0) {
      fetchRates
          .computeIfAbsent(principal.name(), k -> new ByteRate(limits.fetchByteRate()))
          .take(bytes);
    }
  }

  private static void charge(
      ConcurrentHashMap<String, ByteRate> rates,
      long rate,
      Principal principal,
      long bytes,
      String what) {
    if (rate <= 0) {
      return;
    }
    long waitMs =
        rates.computeIfAbsent(principal.name(), k -> new ByteRate(rate)).tryTake(bytes);
    if (waitMs > 0) {
      throw new HttpStatusException(
              HttpError.THROTTLED,
              "Quota exceeded: " + principal + " is over its " + what + " byte rate of " + rate
                  + " B/s; retry later.")
          .withHeader("Retry-After", Long.toString(Math.max(1, (waitMs + 999) / 1000)));
    }
  }

  /** A held long-poll slot. */
  interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  /** Holds a long-poll slot of this node until closed; 429 / 42901 when every slot is taken. */
  Slot longPoll() {
    if (!longPolls.tryAcquire()) {
      throw new HttpStatusException(
              HttpError.THROTTLED,
              "Too many waiting reads on this node (at most " + limits.maxLongPolls()
                  + "); retry later or on another node.")
          .withHeader("Retry-After", "1");
    }
    return longPolls::release;
  }

  /**
   * Holds {@code maxBytes} of this node's fetch memory (at most all of it: {@link
   * FetchMemoryBudget.Reservation#bytes()} is what the fetch may read) until closed, which the
   * caller does once the response is written or has failed; 429 / 42901 when they do not fit now.
   */
  FetchMemoryBudget.Reservation reserveFetchBytes(long maxBytes) {
    return fetchMemory
        .tryReserve(maxBytes)
        .orElseThrow(() -> new HttpStatusException(
                HttpError.THROTTLED,
                "Too many bytes being fetched on this node (at most " + fetchMemory.capacity()
                    + ", ROWSTREAM_MAX_FETCH_BYTES_IN_FLIGHT); retry later, with a smaller max_bytes, or on another node.")
            .withHeader("Retry-After", "1"));
  }

  /** Reads waiting now. */
  int longPollsWaiting() {
    return limits.maxLongPolls() - longPolls.availablePermits();
  }

  /**
   * A token bucket holding at most one second of bytes, allowed into debt by one request: a request
   * passes while the bucket is not in debt, and then pays for itself. {@link #tryTake} answers how
   * long until the debt is paid off (0: go ahead).
   */
  private static final class ByteRate {
    private final long rate;
    private double tokens;
    private long lastNanos = System.nanoTime();

    ByteRate(long rate) {
      this.rate = rate;
      this.tokens = rate;
    }

    synchronized long tryTake(long bytes) {
      refill();
      if (tokens < 0) {
        return (long) Math.ceil(-tokens * 1000.0 / rate);
      }
      tokens -= bytes;
      return 0;
    }

    synchronized void take(long bytes) {
      refill();
      tokens -= bytes;
    }

    private void refill() {
      long now = System.nanoTime();
      tokens = Math.min(rate, tokens + (now - lastNanos) * rate / 1e9);
      lastNanos = now;
    }
  }
}
