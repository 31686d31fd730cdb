package io.rowstream.db;

import org.jooq.DSLContext;

/**
 * One database transaction (or autocommit scope) as a service sees it: an opaque handle it passes
 * to the stores it calls, so that several stores' statements share one transaction while the
 * service itself never touches jOOQ or JDBC. Only stores (classes named {@code *Store}) and
 * {@code db} open it with {@link #dsl()}; {@code ArchitectureTest} enforces that.
 */
public final class Tx {
  private final DSLContext dsl;

  Tx(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** For stores: the jOOQ context of this transaction. */
  public DSLContext dsl() {
    return dsl;
  }

  /** For stores and {@code db} wiring: a handle on a context a store was given (autocommit or a transaction). */
  public static Tx of(DSLContext dsl) {
    return new Tx(dsl);
  }
}
