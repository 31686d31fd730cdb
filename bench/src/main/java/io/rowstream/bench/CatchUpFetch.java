package io.rowstream.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Catch-up fetch: read every partition of a full topic from offset 0 to its end, one reader per partition. */
final class CatchUpFetch {
  static final long MAX_BYTES = 16L * 1024 * 1024;
  private static final JsonFactory JSON = new JsonFactory();

  private CatchUpFetch() {}

  static Throughput run(RestClient rest, String topic, int partitions, int recordBytes, String format)
      throws Exception {
    String accept = format.equals("json") ? RestClient.JSON : RestClient.BINARY;
    long start = System.nanoTime();
    List<Future<Long>> readers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int p = 0; p < partitions; p++) {
        int partition = p;
        readers.add(pool.submit(() -> readPartition(rest, topic, partition, accept)));
      }
      long records = 0;
      for (Future<Long> f : readers) {
        records += f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Throughput("rowstream catch-up fetch", records, records * recordBytes, seconds, null);
    }
  }

  private static long readPartition(RestClient rest, String topic, int partition, String accept) throws Exception {
    long end = endOffset(rest, topic, partition);
    long next = 0;
    long records = 0;
    while (next < end) {
      Fetched fetched = fetch(rest, topic, partition, next, accept);
      records += fetched.records();
      next = fetched.lastOffset() + 1;
    }
    return records;
  }

  /** What one fetch request returned: how many records, and the offset of the last one. */
  record Fetched(long records, long lastOffset) {}

  /** One fetch of up to {@link #MAX_BYTES} from {@code offset}; a fetch that returns nothing is an error. */
  static Fetched fetch(RestClient rest, String topic, int partition, long offset, String accept) throws Exception {
    byte[] body = rest.get("/topics/" + topic + "/partitions/" + partition + "/records?offset=" + offset
        + "&max_bytes=" + MAX_BYTES, accept);
    long last = -1;
    long records = 0;
    try (JsonParser parser = JSON.createParser(body)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.FIELD_NAME && parser.currentName().equals("offset") && parser.getParsingContext()
            .getParent().inArray()) {
          parser.nextToken();
          last = parser.getLongValue();
          records++;
        }
      }
    }
    if (last < 0) {
      throw new IllegalStateException("empty fetch at offset " + offset + " of partition " + partition);
    }
    return new Fetched(records, last);
  }

  /** The partition's log end offset (the next offset to be written). */
  static long endOffset(RestClient rest, String topic, int partition) throws Exception {
    String offsets = new String(rest.get("/topics/" + topic + "/partitions/" + partition + "/offsets",
        RestClient.V2));
    return Long.parseLong(offsets.replaceAll(".*\"end_offset\":(\\d+).*", "$1"));
  }
}
