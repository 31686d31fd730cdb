package io.rowstream.consumer;

/**
 * How many consumer instances may exist, counted cluster-wide in the database (live ones and
 * those whose lease ended but are not reaped yet), so that no principal can fill the
 * {@code consumer_instance} table or the group reaper's work.
 *
 * @param perGroup instances in one group (ROWSTREAM_MAX_CONSUMERS_PER_GROUP)
 * @param perPrincipal instances one principal owns (ROWSTREAM_MAX_CONSUMERS_PER_PRINCIPAL)
 * @param groupsPerPrincipal groups one principal owns instances in (ROWSTREAM_MAX_GROUPS_PER_PRINCIPAL)
 */
public record ConsumerCaps(int perGroup, int perPrincipal, int groupsPerPrincipal) {
  public ConsumerCaps {
    if (perGroup < 1 || perPrincipal < 1 || groupsPerPrincipal < 1) {
      throw new IllegalArgumentException("consumer caps must be at least 1");
    }
  }
}
