package io.rowstream.http;

import io.javalin.http.Context;

/** Path and query parameters, parsed with a clear 40002 (or 40402 for partitions) when malformed. */
public final class Params {
  private Params() {}

  public static int partition(Context ctx) {
    String raw = ctx.pathParam("p");
    try {
      int p = Integer.parseInt(raw);
      if (p < 0) {
        throw new HttpStatusException(
            HttpError.NEGATIVE_PARTITION,
            "Partition " + raw + " not found: partitions are numbered from 0.");
      }
      return p;
    } catch (NumberFormatException e) {
      throw HttpStatusException.badRequest("Partition '" + raw + "' is not a number.");
    }
  }

  public static Long optionalLong(Context ctx, String name, long min) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      long value = Long.parseLong(raw);
      if (value < min) {
        throw HttpStatusException.badRequest(
            "Query parameter " + name + " must be >= " + min + ", got " + value + ".");
      }
      return value;
    } catch (NumberFormatException e) {
      throw HttpStatusException.badRequest(
          "Query parameter " + name + " must be an integer, got '" + raw + "'.");
    }
  }

  public static long longParam(Context ctx, String name, long min, long fallback) {
    Long value = optionalLong(ctx, name, min);
    return value == null ? fallback : value;
  }

  public static long requiredLong(Context ctx, String name, long min) {
    Long value = optionalLong(ctx, name, min);
    if (value == null) {
      throw HttpStatusException.badRequest("Query parameter " + name + " is required.");
    }
    return value;
  }
}
