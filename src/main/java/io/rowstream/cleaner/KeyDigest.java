package io.rowstream.cleaner;

/**
 * The 128-bit MD5 digest of a record key, as two longs: what {@link OffsetMap} stores instead of
 * the key itself, so an entry costs the same whatever the key's length. Two distinct keys share a
 * digest with a probability of about 2^-128 per pair, which the cleaner accepts as Kafka's does.
 */
record KeyDigest(long high, long low) {}
