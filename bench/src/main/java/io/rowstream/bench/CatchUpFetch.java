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
    String offsets = new String(rest.get("/topics/" + topic + "/partitions/" + partition + "/offsets",
        "application/vnd.kafka.v2+json"));
    long end = Long.parseLong(offsets.replaceAll(".*\"end_offset\":(\\d+).*", "$1"));
    long next = 0;
    long records = 0;
    while (next < end) {
      byte[] body = rest.get("/topics/" + topic + "/partitions/" + partition + "/records?offset=" + next
          + "&max_bytes=" + MAX_BYTES, accept);
      long last = -1;
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
        throw new IllegalStateException("empty fetch at offset " + next + " of partition " + partition);
      }
      next = last + 1;
    }
    return records;
  }
}
