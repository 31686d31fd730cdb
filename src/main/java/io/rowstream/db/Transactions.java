package io.rowstream.db;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs work in one transaction of the node's pool and hands it a {@link Tx} for the stores it
 * calls. A service holds this instead of a jOOQ context: the transaction's boundary is the
 * service's decision, the SQL is the stores'. Database failures surface as jOOQ's
 * {@code DataAccessException}, translated once by the stores or the door ({@link SqlErrors}).
 */
public final class Transactions {
  private final Database database;

  public Transactions(Database database) {
    this.database = database;
  }

  /** Runs {@code work} in one transaction and returns its result; rolled back if it throws. */
  public <T> T result(Function<Tx, T> work) {
    return database.dsl().transactionResult(c -> work.apply(new Tx(c.dsl())));
  }

  /** Runs {@code work} in one transaction; rolled back if it throws. */
  public void run(Consumer<Tx> work) {
    database.dsl().transaction(c -> work.accept(new Tx(c.dsl())));
  }

  /** A handle outside any transaction (each statement commits on its own), for single-statement reads. */
  public Tx autocommit() {
    return new Tx(database.dsl());
  }
}
