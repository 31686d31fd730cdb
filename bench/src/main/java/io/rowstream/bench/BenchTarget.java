package io.rowstream.bench;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The node and database a bench tool measures: a running node given by its URL and the JDBC URL
 * of its database, or a node and embedded PostgreSQL the tool starts here and {@link #close} stops.
 */
record BenchTarget(String url, BenchDatabase database, Optional<LocalNode> local) implements AutoCloseable {

  /** {@code url} with its database when given (the flags go together), otherwise what {@code start} starts. */
  static BenchTarget open(Optional<String> url, Optional<String> dbUrl, Optional<String> dbUser,
      Optional<String> dbPassword, Callable<LocalNode> start) throws Exception {
    if (url.isPresent()) {
      return new BenchTarget(url.get(), new BenchDatabase(dbUrl.orElseThrow(), dbUser.orElse(null),
          dbPassword.orElse(null)), Optional.empty());
    }
    LocalNode local = start.call();
    return new BenchTarget(local.url(), local.database(), Optional.of(local));
  }

  @Override
  public void close() throws Exception {
    if (local.isPresent()) {
      local.get().close();
    }
  }
}
