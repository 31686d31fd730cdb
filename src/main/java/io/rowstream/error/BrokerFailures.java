package io.rowstream.error;

import java.util.Optional;

/**
 * Translates a failure raised below the services (the database's, e.g. no pool connection in
 * time) into the broker error it means, once for every door. The translation itself lives with
 * the database ({@code db.SqlErrors}); a door only renders the error it gets.
 */
@FunctionalInterface
public interface BrokerFailures {
  /** The broker error {@code failure} means, or empty when it is no failure of the layers below. */
  Optional<BrokerException> translate(Throwable failure);
}
