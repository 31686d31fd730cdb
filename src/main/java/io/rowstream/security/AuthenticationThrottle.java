package io.rowstream.security;

import io.rowstream.config.OpsConfig;
import io.rowstream.logging.LogText;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the password checks failed authentication may cause, before any is run. A client address
 * with too many failures is refused outright; a user name with too many failures (from any number
 * of addresses) is refused to addresses that failed lately, so that guessing it from many addresses
 * costs one check per address, while its owner, from an address that has not failed, still gets in.
 * An IPv6 client counts by its /64 network, which one host commonly holds whole.
 */
final class AuthenticationThrottle {
  private static final Logger LOG = LoggerFactory.getLogger(AuthenticationThrottle.class);

  private final FailureBackoff addresses;
  private final FailureBackoff users;
  private final LongSupplier nanoTime;

  AuthenticationThrottle(OpsConfig.AuthFailures config, LongSupplier nanoTime) {
    this.addresses =
        new FailureBackoff(config.limit(), config.window(), config.backoff(), config.maxBackoff());
    this.users =
        new FailureBackoff(config.limit(), config.window(), config.backoff(), config.maxBackoff());
    this.nanoTime = nanoTime;
  }

  /** Refuses a password check for {@code user} from {@code address} while either is in backoff. */
  void check(String clientAddress, String user) {
    String address = addressKey(clientAddress);
    long now = nanoTime.getAsLong();
    long wait = addresses.refusedFor(address, now);
    if (wait == 0 && addresses.failedRecently(address, now)) {
      wait = users.refusedFor(user, now);
    }
    if (wait > 0) {
      throw new AuthenticationThrottledException(
          "Too many failed authentications from this address or for this " + "user; retry later.",
          Duration.ofNanos(wait));
    }
  }

  /** The address failures are counted by: an IPv4 address itself, the /64 network of an IPv6 one. */
  static String addressKey(String clientAddress) {
    String literal = clientAddress.startsWith("[") && clientAddress.endsWith("]")
        ? clientAddress.substring(1, clientAddress.length() - 1)
        : clientAddress;
    if (!literal.contains(":")) {
      return literal;
    }
    try {
      // A literal with a colon is parsed as IPv6, never looked up.
      InetAddress parsed = InetAddress.getByName(literal);
      if (parsed instanceof Inet6Address) {
        return HexFormat.ofDelimiter(":").formatHex(parsed.getAddress(), 0, 8) + "::/64";
      }
      return parsed.getHostAddress();
    } catch (UnknownHostException e) {
      return literal;
    }
  }

  /** Counts a failed password check. */
  void failed(String clientAddress, String user) {
    String address = addressKey(clientAddress);
    long now = nanoTime.getAsLong();
    long addressBackoff = addresses.failed(address, now);
    if (addressBackoff > 0) {
      LOG.warn(
          "failed authentications over the limit, address refused address={} backoffMs={}",
          LogText.of(address),
          addressBackoff / 1_000_000);
    }
    long userBackoff = users.failed(user, now);
    if (userBackoff > 0) {
      LOG.warn(
          "failed authentications over the limit, user refused to failing addresses user={} backoffMs={}",
          LogText.of(user),
          userBackoff / 1_000_000);
    }
  }
}
