package io.rowstream.bench;

import java.util.Base64;
import java.util.SplittableRandom;

/** Incompressible record values and the produce bodies that carry them. */
final class Payloads {
  private Payloads() {}

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new SplittableRandom(seed).nextBytes(bytes);
    return bytes;
  }

  /** {@code count} distinct random values, the ones {@link #produceBody} carries for the same seed. */
  static byte[][] values(int count, int size, long seed) {
    byte[][] values = new byte[count][];
    for (int i = 0; i < count; i++) {
      values[i] = random(size, seed * 1_000_003L + i);
    }
    return values;
  }

  /**
   * A v2 produce body of {@code count} distinct random values. Binary: base64 values; json: each
   * value a JSON string of the base64 text (so the payload bytes stay incompressible).
   */
  static String produceBody(int count, int size, String format, long seed) {
    StringBuilder body = new StringBuilder(count * (size * 4 / 3 + 32)).append("{\"records\":[");
    byte[][] values = values(count, size, seed);
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        body.append(',');
      }
      String b64 = Base64.getEncoder().encodeToString(values[i]);
      if (format.equals("json")) {
        // A JSON string of n characters is n + 2 bytes; trim the base64 text to keep the value at `size`.
        body.append("{\"value\":\"").append(b64, 0, Math.max(0, size - 2)).append("\"}");
      } else {
        body.append("{\"value\":\"").append(b64).append("\"}");
      }
    }
    return body.append("]}").toString();
  }
}
